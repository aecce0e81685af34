import type { Reporter, SerializedError, TestModule } from "vitest/node";

/**
 * Prints `N passed, N failed, N skipped` as the run's last line: the plain summary CI reads, which
 * vitest's own coloured summary is not. A failure outside a test counts as a failure: a file that
 * does not load, a `beforeAll` or `afterAll` that throws (vitest then skips or keeps the tests it
 * guards), an error no test caught. Each is named on a line just above, so the count can be traced.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError> = []) {
    const counts = { passed: 0, failed: 0, skipped: 0, pending: 0 };
    const outside: string[] = [];
    for (const module of testModules) {
      for (const test of module.children.allTests()) counts[test.result().state] += 1;
      const where = [module, ...module.children.allSuites()];
      let named = 0;
      for (const entity of where) {
        for (const error of entity.errors()) {
          const place = entity.type === "module" ? module.relativeModuleId : `${module.relativeModuleId} > ${entity.fullName}`;
          outside.push(`${place}: ${firstLine(error)}`);
          named += 1;
        }
      }
      // A file that failed with every test passing and no error attached still failed.
      if (module.state() === "failed" && named === 0 && !hasFailedTest(module)) outside.push(`${module.relativeModuleId}: failed`);
    }
    for (const error of unhandledErrors) outside.push(`unhandled: ${firstLine(error)}`);

    if (outside.length > 0) console.log(`\nFailed outside a test (${outside.length}):\n${outside.map((line) => `  ${line}`).join("\n")}`);
    console.log(`\n${counts.passed} passed, ${counts.failed + outside.length} failed, ${counts.skipped} skipped`);
  }
}

function hasFailedTest(module: TestModule): boolean {
  for (const test of module.children.allTests("failed")) return test !== undefined;
  return false;
}

function firstLine(error: SerializedError): string {
  return `${error.name ? `${error.name}: ` : ""}${String(error.message ?? error).split("\n")[0]}`;
}

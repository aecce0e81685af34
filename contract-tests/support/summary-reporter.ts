import type { Reporter, TestModule } from "vitest/node";

/**
 * Prints `N passed, N failed, N skipped` as the run's last line: the plain summary CI reads, which
 * vitest's own coloured summary is not.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>) {
    const counts = { passed: 0, failed: 0, skipped: 0, pending: 0 };
    for (const module of testModules) {
      for (const test of module.children.allTests()) counts[test.result().state] += 1;
    }
    console.log(`\n${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
  }
}

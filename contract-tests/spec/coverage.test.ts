import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { contractRuns } from "../support/contract-log.js";
import { documentedStatuses, operations } from "@billing-api/test-support/spec";

// Adding an operation or a documented status without a contract test must fail `npm test`.
// Counted at run time: every `contract("operationId", status, ...)` test and every case of the routine
// sweep (spec/routine-statuses.test.ts) records itself when it starts (support/contract-log.ts), and
// this file runs after all of them (the "coverage" project in vitest.config.ts). A skipped,
// commented-out or unreachable contract test records nothing, so it covers nothing.
// Run the whole suite (`npx vitest run`): alone, this file finds no contract test at all.
const runs = contractRuns();
const covered = new Map<string, string[]>();
for (const { operationId, status, file } of runs) {
  const key = `${operationId} ${status}`;
  covered.set(key, [...(covered.get(key) ?? []), file]);
}
const sweep = "spec/routine-statuses.test.ts";

describe("contract test coverage (of the contract tests that ran)", () => {
  test("the bundled document has operations to cover, and contract tests ran in this run", () => {
    expect(operations.length).toBeGreaterThan(0);
    expect(runs.length, "no contract test ran: run the whole suite, not this file alone").toBeGreaterThan(operations.length);
  });

  test.each(operations.map(({ operationId }) => operationId))(
    "%s: every documented status has a contract test",
    (operationId) => {
      const missing = documentedStatuses(operationId).filter((status) => !covered.has(`${operationId} ${status}`));
      expect(missing, `statuses of ${operationId} with no contract("${operationId}", status, ...) test that ran`).toEqual([]);
    },
  );

  test("no contract test names an operation or status the spec does not document", () => {
    const documented = new Set(operations.flatMap(({ operationId }) => documentedStatuses(operationId).map((s) => `${operationId} ${s}`)));
    const stray = [...covered.keys()].filter((key) => !documented.has(key));
    expect(stray).toEqual([]);
  });

  test("the routine sweep ran (it carries the shared 401s and 404s)", () => {
    expect(runs.filter(({ file }) => file === sweep).length).toBeGreaterThan(20);
  });

  test("no operation and status has two contract tests (a routine one is the sweep's)", () => {
    const twice = [...covered].filter(([, files]) => files.length > 1).map(([key, files]) => `${key}: ${files.join(", ")}`);
    expect(twice).toEqual([]);
  });

  test("a skipped or unreachable contract test does not count", () => {
    // spec/contract-probes.test.ts declares both kinds; had either counted, its operation would be stray.
    const probes = readFileSync(new URL("./contract-probes.test.ts", import.meta.url), "utf8");
    expect(probes).toMatch(/describe\.skip\([^]*contract\("skippedContractProbe", 200/);
    expect(probes).toMatch(/contract\("unreachableContractProbe", 200/);
    expect(runs.map(({ operationId }) => operationId)).not.toContain("skippedContractProbe");
    expect(runs.map(({ operationId }) => operationId)).not.toContain("unreachableContractProbe");
  });

  test("every path ends in .json, as on the real API", () => {
    expect(operations.map(({ path }) => path).filter((path) => !path.endsWith(".json"))).toEqual([]);
  });

  test("every operation documents the 401 of Basic auth", () => {
    const without401 = operations.filter(({ operation }) => !operation.responses["401"]).map((o) => o.operationId);
    expect(without401).toEqual([]);
  });
});

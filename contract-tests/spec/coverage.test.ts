import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { documentedStatuses, operations, routineCases } from "../support/spec.js";

// Adding an operation or a documented status without a contract test must fail `npm test`.
// Contract tests are the `contract("operationId", status, ...)` calls in *.test.ts files, and the
// routine statuses (shared 401 and 404 responses) that spec/routine-statuses.test.ts sweeps.
const root = fileURLToPath(new URL("..", import.meta.url));

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === "node_modules") return [];
    const path = join(dir, entry.name);
    return entry.isDirectory() ? testFiles(path) : entry.name.endsWith(".test.ts") ? [path] : [];
  });
}

const contractCall = /\bcontract\(\s*"(\w+)"\s*,\s*(\d{3})\s*,/g;
const covered = new Map<string, string[]>();
const sweep = "spec/routine-statuses.test.ts";
for (const { operationId, status } of routineCases()) covered.set(`${operationId} ${status}`, [sweep]);
for (const file of testFiles(root)) {
  for (const [, operationId, status] of readFileSync(file, "utf8").matchAll(contractCall)) {
    const key = `${operationId} ${status}`;
    covered.set(key, [...(covered.get(key) ?? []), relative(root, file)]);
  }
}

describe("contract test coverage", () => {
  test("the bundled document has operations to cover", () => {
    expect(operations.length).toBeGreaterThan(0);
  });

  test.each(operations.map(({ operationId }) => operationId))(
    "%s: every documented status has a contract test",
    (operationId) => {
      const missing = documentedStatuses(operationId).filter((status) => !covered.has(`${operationId} ${status}`));
      expect(missing, `statuses of ${operationId} with no contract("${operationId}", status, ...) test`).toEqual([]);
    },
  );

  test("no contract test names an operation or status the spec does not document", () => {
    const documented = new Set(operations.flatMap(({ operationId }) => documentedStatuses(operationId).map((s) => `${operationId} ${s}`)));
    const stray = [...covered.keys()].filter((key) => !documented.has(key));
    expect(stray).toEqual([]);
  });

  test("the routine sweep exists (it carries the shared 401s and 404s)", () => {
    expect(testFiles(root).map((file) => relative(root, file))).toContain(sweep);
  });

  test("no operation and status has two contract tests (a routine one is the sweep's)", () => {
    const twice = [...covered].filter(([, files]) => files.length > 1).map(([key, files]) => `${key}: ${files.join(", ")}`);
    expect(twice).toEqual([]);
  });

  test("every path ends in .json, as on the real API", () => {
    expect(operations.map(({ path }) => path).filter((path) => !path.endsWith(".json"))).toEqual([]);
  });

  test("every operation documents the 401 of Basic auth", () => {
    const without401 = operations.filter(({ operation }) => !operation.responses["401"]).map((o) => o.operationId);
    expect(without401).toEqual([]);
  });
});

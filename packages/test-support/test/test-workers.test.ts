import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";
import { countTestTasks, testTasksToRun, workersFor } from "../src/test-workers.mjs";

// `npm test` gives each package one vitest worker when turbo runs more test tasks than there are
// cores, and leaves vitest's two otherwise: decided from turbo's dry run of the same command.
const root = fileURLToPath(new URL("../../..", import.meta.url));

/** A dry run's test task, as turbo writes it. */
const task = (name: string, status: "HIT" | "MISS", command = "vitest run") => ({ taskId: `${name}#test`, task: "test", package: name, command, cache: { status } });

test("a dry run's test tasks that will run: not replayed from the cache, and with a command of their own", () => {
  const dryRun = {
    tasks: [
      task("@billing-api/client", "MISS"),
      task("@billing-api/contract-tests", "MISS"),
      task("@billing-api/mock", "HIT"),
      task("@billing-api/cli-kit", "MISS", "<NONEXISTENT>"),
      { ...task("@billing-api/client", "MISS"), taskId: "@billing-api/client#build", task: "build" },
    ],
  };
  expect(testTasksToRun(dryRun).map((entry) => entry.package)).toEqual(["@billing-api/client", "@billing-api/contract-tests"]);
  // --force re-runs what the cache holds too.
  expect(testTasksToRun(dryRun, { forced: true }).map((entry) => entry.package)).toEqual(["@billing-api/client", "@billing-api/contract-tests", "@billing-api/mock"]);
});

test("one worker each only when the test tasks outnumber the cores", () => {
  // A client change on two cores: the client's tests and contract-tests, two workers each.
  expect(workersFor(2, 2)).toBeUndefined();
  // A cold run: every package's tests at once.
  expect(workersFor(10, 2)).toBe("1");
  expect(workersFor(10, 16)).toBeUndefined();
});

test("turbo's own dry run of this repository, forced, counts every workspace with a test script", () => {
  const workspaces = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { workspaces: string[] }).workspaces;
  const withTests = workspaces.filter((dir) => (JSON.parse(readFileSync(join(root, dir, "package.json"), "utf8")) as { scripts?: Record<string, string> }).scripts?.test);
  const env = { ...process.env, TURBO_TELEMETRY_DISABLED: "1" };
  expect(withTests.length).toBeGreaterThan(5);
  // The same arguments scripts/test.mjs gives turbo; a dry run's format turbo changed would count nothing.
  expect(countTestTasks(["run", "test", "--continue", "--force"], { env, cwd: root })).toBe(withTests.length);
  expect(countTestTasks(["run", "test", "--continue", "--force", "--filter=@billing-api/client"], { env, cwd: root })).toBe(1);
});

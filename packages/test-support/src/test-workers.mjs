// How many vitest workers each package's tests get under `npm test` (scripts/test.mjs), from turbo's
// dry run of the same command: two when a package's tests run alone or beside one other, one when
// turbo runs more test tasks than there are cores. Then the tasks themselves fill the cores, and a
// second worker per package only loads the same packages, judges and Prism operations again.
// `npm test -- --force`, five pairs alternating, machine CPU: a median of 266 s with one worker
// against 298 s with two (per pair 0.84x to 1.02x, median 0.95x).
import { spawnSync } from "node:child_process";

/** @typedef {{ task: string; package: string; command: string; cache: { status: string } }} DryRunTask */

/**
 * The test tasks of a `turbo run test --dry=json` that will run: not replayed from turbo's cache
 * (all of them when forced), and with a command.
 * @param {{ tasks: DryRunTask[] }} dryRun
 * @param {{ forced?: boolean }} [options]
 * @returns {DryRunTask[]}
 */
export function testTasksToRun(dryRun, { forced = false } = {}) {
  return dryRun.tasks.filter((task) => task.task === "test" && task.command !== "<NONEXISTENT>" && (forced || task.cache.status !== "HIT"));
}

/**
 * BILLING_TEST_WORKERS for a run of `tasks` test tasks on `cores` cores: "1", or undefined for the
 * vitest config's own two.
 * @param {number} tasks
 * @param {number} cores
 * @returns {string | undefined}
 */
export function workersFor(tasks, cores) {
  return tasks > cores ? "1" : undefined;
}

/**
 * Turbo's dry run of `turbo <args>` (the same filters, the same cache): how many test tasks will
 * run, or undefined when it fails (the real run then says why).
 * @param {string[]} args
 * @param {{ env?: NodeJS.ProcessEnv; cwd?: string }} [where] where turbo runs (a package's folder scopes it to that package)
 * @returns {number | undefined}
 */
export function countTestTasks(args, { env, cwd } = {}) {
  const dry = spawnSync("turbo", [...args, "--dry=json"], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024, env, cwd });
  if (dry.status !== 0) return undefined;
  try {
    return testTasksToRun(JSON.parse(dry.stdout), { forced: args.includes("--force") }).length;
  } catch {
    return undefined;
  }
}

#!/usr/bin/env node
// npm test: turbo runs each package's tests (a package whose inputs did not change replays its cached
// report), and this script passes turbo's output through and closes it with one line that adds up
// every `N passed, N failed, N skipped` line the packages' runs printed (the summary reporter of
// @billing-api/test-support): the line CI reads. A package whose test task printed no summary (it
// crashed, or a build it depends on failed) counts as one failure, named above the total.
// Arguments go to turbo: `npm test -- --filter=@billing-api/client`.
import { spawn } from "node:child_process";
import { availableParallelism } from "node:os";
import { createInterface } from "node:readline";
import { countTestTasks, workersFor } from "../packages/test-support/src/test-workers.mjs";

const summaryLine = /^(\d+) passed, (\d+) failed, (\d+) skipped$/;
// turbo's stream output: `@billing-api/client:test: <line>`; colour codes are removed first.
const taskLine = /^(\S+):test: ?(.*)$/;
// eslint-disable-next-line no-control-regex -- ANSI escapes are what this removes.
const ansi = /\u001b\[[0-9;]*m/g;

const args = ["run", "test", "--continue", ...process.argv.slice(2)];

// One vitest worker per package when turbo runs more test tasks than there are cores (@billing-api/test-support, src/test-workers.mjs).
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: "1" };
if (env.BILLING_TEST_WORKERS === undefined) {
  const workers = workersFor(countTestTasks(args, { env }) ?? 0, availableParallelism());
  if (workers !== undefined) env.BILLING_TEST_WORKERS = workers;
}

const turbo = spawn("turbo", args, { stdio: ["ignore", "pipe", "inherit"], env });

const total = { passed: 0, failed: 0, skipped: 0 };
/** Every package whose test task printed something, and whether it printed a summary. */
const summarised = new Map();
const lines = createInterface({ input: turbo.stdout });
lines.on("line", (line) => {
  process.stdout.write(`${line}\n`);
  const task = taskLine.exec(line.replace(ansi, ""));
  if (!task) return;
  const [, name, text] = task;
  if (!summarised.has(name)) summarised.set(name, false);
  const counts = summaryLine.exec(text.trim());
  if (!counts) return;
  summarised.set(name, true);
  total.passed += Number(counts[1]);
  total.failed += Number(counts[2]);
  total.skipped += Number(counts[3]);
});

const code = await new Promise((resolve) => turbo.on("close", (status) => resolve(status ?? 1)));
await new Promise((resolve) => (lines.closed ? resolve() : lines.once("close", resolve)));
const silent = [...summarised].filter(([, printed]) => !printed).map(([name]) => name);
if (silent.length > 0) console.log(`\nNo test summary from (${silent.length}):\n${silent.map((name) => `  ${name}`).join("\n")}`);
const failed = total.failed + silent.length + (code !== 0 && total.failed + silent.length === 0 ? 1 : 0);
console.log(`\n${total.passed} passed, ${failed} failed, ${total.skipped} skipped`);
process.exit(code !== 0 ? code : failed > 0 ? 1 : 0);

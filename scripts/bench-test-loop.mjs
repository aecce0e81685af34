#!/usr/bin/env node
// The test loop, before and after, measured in one run: clones an old revision and a new one of
// this repository into temp folders, installs each from npm's cache (`npm ci --offline`), and times
//   - a cold `npm test` of each (fresh clone: no turbo cache, nothing built),
//   - for the new one, `npm test` again after a comment is added to one file of packages/client/src
//     (turbo re-runs only the client's tests and what depends on the client).
// It prints each time with the machine's load average (the machine is shared: read the figures with
// it, and with how much two busy threads get done against one, before and after: bench-machine.mjs),
// the closing `N passed, N failed, N skipped` line of each run and turbo's cached/total count.
//
//   node scripts/bench-test-loop.mjs [--old f2cdde9] [--new HEAD] [--pairs 1] [--keep]
// (--new is resolved when the old run has finished and the new one is cloned.)
// --pairs N adds N-1 more pairs of cold runs, old then new, each from a fresh clone and install: one
// pair moves with the machine (the same code has given 0.61x to 0.80x), so the median of the
// pairs' ratios is printed beside each pair's own.
import { execFileSync, spawn } from "node:child_process";
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { describeCapacity, parallelCapacity } from "./bench-machine.mjs";

const { values } = parseArgs({
  options: { old: { type: "string", default: "f2cdde9" }, new: { type: "string", default: "HEAD" }, pairs: { type: "string", default: "1" }, keep: { type: "boolean", default: false } },
});
const pairs = Number(values.pairs);
if (!Number.isInteger(pairs) || pairs < 1) {
  console.error(`bench-test-loop: --pairs takes a whole number from 1, got ${values.pairs}`);
  process.exit(2);
}
const repo = resolve(import.meta.dirname, "..");
const work = mkdtempSync(join(tmpdir(), "bench-test-loop-"));
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: "1", REDOCLY_TELEMETRY: "off", NO_UPDATE_NOTIFIER: "1", FORCE_COLOR: "0", NO_COLOR: "1" };
delete env.TURBO_CACHE_DIR;
delete env.TURBO_REMOTE_CACHE_SIGNATURE_KEY;

const load = () => loadavg().map((n) => n.toFixed(1)).join(" ");
/** CPU seconds the whole machine has spent busy since boot (/proc/stat: user, nice, system, irq, softirq). */
function machineCpu() {
  if (!existsSync("/proc/stat")) return undefined;
  const [user, nice, system, , , irq, softirq] = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
  return (user + nice + system + irq + softirq) / 100;
}
const revision = (rev) => execFileSync("git", ["rev-parse", "--short", rev], { cwd: repo, encoding: "utf8" }).trim();

function clone(name, rev) {
  const dir = join(work, name);
  execFileSync("git", ["clone", "--quiet", "--no-hardlinks", repo, dir]);
  execFileSync("git", ["checkout", "--quiet", "--detach", rev], { cwd: dir });
  execFileSync("npm", ["ci", "--offline", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: dir, env, stdio: ["ignore", "ignore", "inherit"] });
  return dir;
}

/** Runs `npm test` in `dir`: seconds, exit status, the closing line, turbo's `Cached:` line. */
function npmTest(dir, label) {
  // The label names a file (packages/client/src/...): no path separators in the log's name.
  const log = join(work, `${label.replace(/[\\/]/g, "_")}.log`);
  const before = load();
  const machineBefore = machineCpu();
  const start = process.hrtime.bigint();
  return new Promise((done) => {
    // GNU time, where there is one, adds the CPU time of the whole run (user + system, every process
    // it started and reaped): the figure a busy machine moves least. It misses Chromium's processes
    // (the browser test's renderers are not reaped by the test process), so the machine's busy CPU
    // time over the run is printed too: on a quiet machine, the run's whole cost.
    const command = existsSync("/usr/bin/time") ? ["/usr/bin/time", "-f", "cpu-seconds %U %S", "npm", "test"] : ["npm", "test"];
    const child = spawn(command[0], command.slice(1), { cwd: dir, env, stdio: ["ignore", "pipe", "pipe"] });
    let tail = "";
    const keep = (chunk) => {
      appendFileSync(log, chunk);
      tail = (tail + chunk.toString()).slice(-20_000);
    };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    child.on("close", (status) => {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      const lines = tail.trimEnd().split("\n");
      const cached = [...tail.matchAll(/Cached:\s+(\d+) cached, (\d+) total/g)].at(-1);
      const cpu = /cpu-seconds ([\d.]+) ([\d.]+)/.exec(tail);
      const last = lines.filter((line) => !line.startsWith("cpu-seconds")).at(-1);
      const machineAfter = machineCpu();
      const machine = machineBefore === undefined || machineAfter === undefined ? undefined : machineAfter - machineBefore;
      done({ label, seconds, cpu: cpu ? Number(cpu[1]) + Number(cpu[2]) : undefined, machine, status, last, cached: cached ? `${cached[1]} of ${cached[2]} tasks cached` : "", loadBefore: before, loadAfter: load(), log });
    });
  });
}

const oldRev = revision(values.old);
console.log(`bench-test-loop: ${oldRev} (before) and ${values.new} (after, resolved when it is cloned), in ${work}`);
console.log(`load average at start (1, 5, 15 min): ${load()}`);
// Whether the machine's two cores are two at the moment (scripts/bench-machine.mjs).
console.log(`machine at start: ${describeCapacity(await parallelCapacity())}`);

const results = [];
const oldDir = clone("before", oldRev);
results.push(await npmTest(oldDir, `cold npm test, before (${oldRev})`));
rmSync(oldDir, { recursive: true, force: true });

const newRev = revision(values.new);
console.log(`after: ${newRev}`);
const newDir = clone("after", newRev);
results.push(await npmTest(newDir, `cold npm test, after (${newRev})`));
appendFileSync(join(newDir, "packages/client/src/errors.ts"), "// bench-test-loop: a comment, so the client's source changed\n");
results.push(await npmTest(newDir, `npm test after one change to packages/client/src/errors.ts (${newRev})`));

// The further pairs: cold runs only, old then new, each clone removed when its run is done.
const colds = [[results[0], results[1]]];
for (let pair = 2; pair <= pairs; pair++) {
  const oldAgain = clone(`before-${pair}`, oldRev);
  const oldRun = await npmTest(oldAgain, `cold npm test, before (${oldRev}), pair ${pair}`);
  rmSync(oldAgain, { recursive: true, force: true });
  const newAgain = clone(`after-${pair}`, newRev);
  const newRun = await npmTest(newAgain, `cold npm test, after (${newRev}), pair ${pair}`);
  rmSync(newAgain, { recursive: true, force: true });
  results.push(oldRun, newRun);
  colds.push([oldRun, newRun]);
}

console.log(`machine at the end: ${describeCapacity(await parallelCapacity())}`);
console.log("");
for (const r of results) {
  const cpu = [r.cpu === undefined ? "" : `CPU ${r.cpu.toFixed(0)} s`, r.machine === undefined ? "" : `machine CPU ${r.machine.toFixed(0)} s`].filter(Boolean).join(", ");
  console.log(`${r.label}: ${r.seconds.toFixed(0)} s${cpu ? ` (${cpu})` : ""}, exit ${r.status}; ${r.last}${r.cached ? `; ${r.cached}` : ""}; load ${r.loadBefore} -> ${r.loadAfter}`);
}
const [before, after, warm] = results;
console.log(`\ncold after / cold before: ${(after.seconds / before.seconds).toFixed(2)} (target <= 0.50)`);
console.log(`after a client change / cold before: ${(warm.seconds / before.seconds).toFixed(2)} (target <= 0.20)`);
if (before.cpu && after.cpu && warm.cpu) console.log(`CPU time, same ratios: ${(after.cpu / before.cpu).toFixed(2)} and ${(warm.cpu / before.cpu).toFixed(2)}`);
if (before.machine && after.machine && warm.machine) console.log(`machine CPU time, same ratios: ${(after.machine / before.machine).toFixed(2)} and ${(warm.machine / before.machine).toFixed(2)}`);
if (colds.length > 1) {
  const ratios = colds.map(([o, n]) => n.seconds / o.seconds);
  const sorted = [...ratios].sort((a, b) => a - b);
  const median = sorted.length % 2 ? sorted[(sorted.length - 1) / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
  console.log(`cold after / cold before, by pair: ${ratios.map((r) => r.toFixed(2)).join(", ")}; median ${median.toFixed(2)} (target <= 0.50)`);
}
console.log(`logs: ${results.map((r) => r.log).join(" ")}`);
if (!values.keep) rmSync(newDir, { recursive: true, force: true });

/**
 * What starting a mock costs a process: the CPU time of importing @billing-api/mock, then of
 * `startMock()` and one request, stateless and then stateful, each measured in fresh processes
 * (what a `billing-mock` process, or a test worker's first mock, pays). Prints the figures (a
 * benchmark, not a test): `npm run bench:start -w @billing-api/mock`. CPU time, not wall time: on a
 * shared machine, wall time counts the other processes' turns too.
 */
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";

const runs = Number(process.env.BENCH_RUNS ?? 9);
const auth = `Basic ${Buffer.from("bench-key:x").toString("base64")}`;

interface Figures {
  importMs: number;
  modules: number;
  statelessMs: number;
  statefulMs: number;
}

const cpuMs = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};

async function startAndAsk(stateful: boolean): Promise<number> {
  const { startMock } = await import("@billing-api/mock");
  const before = process.cpuUsage();
  const mock = await startMock({ port: 0, stateful });
  const response = await fetch(`${mock.url}/customers/150.json`, { headers: { authorization: auth } });
  await response.text();
  const spent = cpuMs(before);
  await mock.close();
  if (response.status !== 200) throw new Error(`GET /customers/150.json: ${response.status}`);
  return spent;
}

async function measure(): Promise<Figures> {
  const before = process.cpuUsage();
  await import("@billing-api/mock");
  const importMs = cpuMs(before);
  const { createRequire } = await import("node:module");
  const modules = Object.keys(createRequire(import.meta.url).cache).length;
  return { importMs, modules, statelessMs: await startAndAsk(false), statefulMs: await startAndAsk(true) };
}

function once(): Promise<Figures> {
  const child = fork(fileURLToPath(import.meta.url), ["--measure"], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  return new Promise((resolve, reject) => {
    child.once("message", (figures) => resolve(figures as Figures));
    child.once("exit", (code) => reject(new Error(`the measuring process exited with ${code}`)));
  });
}

if (process.argv.includes("--measure")) {
  process.send!(await measure());
  process.disconnect();
} else {
  const rows: Figures[] = [];
  for (let run = 0; run < runs; run++) rows.push(await once());
  const summary = (pick: (row: Figures) => number) => {
    const values = rows.map(pick).sort((a, b) => a - b);
    const at = (fraction: number) => values[Math.round((values.length - 1) * fraction)]!;
    return `${at(0.5).toFixed(0)} ms (quartiles ${at(0.25).toFixed(0)}-${at(0.75).toFixed(0)})`;
  };
  console.log(`${runs} fresh processes; CPU time, median and quartiles`);
  console.log(`  import @billing-api/mock           ${summary((row) => row.importMs)}, ${rows[0]!.modules} CommonJS modules loaded`);
  console.log(`  then startMock() and one request   ${summary((row) => row.statelessMs)}`);
  console.log(`  then startMock({ stateful: true }) ${summary((row) => row.statefulMs)} (the document is read once per process)`);
}

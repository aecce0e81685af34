/**
 * How fast billing-verify is, in one run: `npm run bench -w @billing-api/verify` (a benchmark that
 * prints figures, not a test).
 *
 * - `har`: a HAR of 10,000 entries (the mock's answers to a live walk, recorded through the proxy,
 *   repeated), checked by the CLI as a user runs it, and in-process without the start-up.
 * - `proxy`: the latency of a call through `billing-verify proxy` beside the same call made
 *   directly, both to the mock, each in a process of its own; calls alternate so both see the
 *   same machine.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ConformanceCheck } from "@billing-api/conformance";
import { startMock } from "@billing-api/mock";
import { ApiHosts, checkHar, harDocument, harEntries, startVerifyProxy, Verifier, walkLive } from "@billing-api/verify";

const entries = Number(process.env.BENCH_ENTRIES ?? 10_000);
const calls = Number(process.env.BENCH_CALLS ?? 2_000);
const cli = fileURLToPath(new URL("../../bin/billing-verify.js", import.meta.url));
const mockCli = fileURLToPath(new URL("../../../mock/bin/billing-mock.js", import.meta.url));
const apiKey = "bench-api-key-0123456789";
const authorization = `Basic ${Buffer.from(`${apiKey}:x`).toString("base64")}`;

/** Starts a CLI that prints its URL, and resolves with the URL and the child. */
function startProcess(args: string[], pattern: RegExp): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const url = pattern.exec(out)?.[1];
      if (url) resolve({ url, child });
    });
    child.once("exit", (code) => reject(new Error(`${args.join(" ")} exited with ${code}: ${out}`)));
  });
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const ms = (value: number) => `${value.toFixed(2)} ms`;

async function recordTraffic(): Promise<Record<string, unknown>[]> {
  const mock = await startMock({ port: 0 });
  const check = await ConformanceCheck.load();
  const upstream = new URL(mock.url);
  const proxy = await startVerifyProxy({ upstream, verifier: new Verifier(check, ApiHosts.fromBaseUrls([upstream])), record: true });
  await walkLive({ baseUrl: new URL(proxy.url), apiKey, verifier: new Verifier(check, ApiHosts.fromBaseUrls([new URL(proxy.url)])) });
  await proxy.close();
  await mock.close();
  return proxy.entries;
}

async function benchHar() {
  const recorded = await recordTraffic();
  const all = Array.from({ length: entries }, (_, index) => recorded[index % recorded.length]!);
  const dir = mkdtempSync(join(tmpdir(), "verify-bench-"));
  const file = join(dir, "traffic.har");
  writeFileSync(file, harDocument(all, "bench"));
  const upstream = new URL((recorded[0]!.request as { url: string }).url).origin;

  const started = performance.now();
  const child = spawn(process.execPath, [cli, "har", file, "--base-url", upstream, "--quiet"], { stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  const wall = performance.now() - started;
  if (code !== 0) throw new Error(`billing-verify har exited with ${code}:\n${out}`);

  const loadStarted = performance.now();
  const check = await ConformanceCheck.load();
  const load = performance.now() - loadStarted;
  const verifier = new Verifier(check, ApiHosts.fromBaseUrls([new URL(upstream)]));
  const text = harDocument(all, "bench");
  const checkStarted = performance.now();
  const cpuStarted = process.cpuUsage();
  checkHar(harEntries(text), verifier);
  const cpu = process.cpuUsage(cpuStarted);
  const checking = performance.now() - checkStarted;
  if (verifier.findings.length > 0) throw new Error("the recorded traffic should conform");

  console.log(`har: ${entries.toLocaleString("en")} entries (${recorded.length} distinct GETs of the mock, repeated)`);
  console.log(`  billing-verify har, whole run:     ${(wall / 1000).toFixed(2)} s`);
  console.log(`  in-process: loading the spec ${(load / 1000).toFixed(2)} s, reading and checking ${(checking / 1000).toFixed(2)} s (${((checking * 1000) / entries).toFixed(0)} µs an entry)`);
  // On a shared machine the wall clock waits for other work; the CPU time is the verifier's own.
  console.log(`  CPU time of reading and checking: ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s (${((cpu.user + cpu.system) / entries).toFixed(0)} µs an entry); load average ${loadavg()[0]!.toFixed(1)}`);
}

async function benchProxy() {
  const mock = await startProcess([mockCli, "--port", "0", "--quiet"], /listening on (http:\/\/\S+)/);
  const proxy = await startProcess([cli, "proxy", "--upstream", mock.url, "--port", "0", "--quiet"], /listening on (http:\/\/\S+?),/);
  const paths = ["/payment_profiles/10089892.json", "/customers.json", "/subscriptions/222.json", "/portal/customers/150/management_link.json"];
  const time = async (base: string, path: string) => {
    const started = performance.now();
    const response = await fetch(`${base}${path}`, { headers: { authorization, accept: "application/json" } });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`${base}${path} answered ${response.status}`);
    return performance.now() - started;
  };
  try {
    for (let i = 0; i < 200; i++) await time(i % 2 ? proxy.url : mock.url, paths[i % paths.length]!);
    const direct: number[] = [];
    const through: number[] = [];
    for (let i = 0; i < calls; i++) {
      const path = paths[i % paths.length]!;
      direct.push(await time(mock.url, path));
      through.push(await time(proxy.url, path));
    }
    direct.sort((a, b) => a - b);
    through.sort((a, b) => a - b);
    console.log(`proxy: ${calls.toLocaleString("en")} calls each way, one at a time, keep-alive, mock and proxy in processes of their own`);
    console.log(`  direct to the mock:   p50 ${ms(percentile(direct, 50))}, p99 ${ms(percentile(direct, 99))}`);
    console.log(`  through the proxy:    p50 ${ms(percentile(through, 50))}, p99 ${ms(percentile(through, 99))}`);
    console.log(`  added per exchange:   p50 ${ms(percentile(through, 50) - percentile(direct, 50))}, p99 ${ms(percentile(through, 99) - percentile(direct, 99))}`);
  } finally {
    proxy.child.kill("SIGINT");
    mock.child.kill("SIGTERM");
  }
}

await benchHar();
await benchProxy();

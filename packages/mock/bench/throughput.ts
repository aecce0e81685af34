/**
 * Throughput of the mock beside Prism's own server, and of the stateful mock beside the stateless
 * one, on the same bundled document, in one run: `npm run bench -w @billing-api/mock` (a benchmark
 * that prints figures, not a test). Then 10,000 customer creates in one namespace of the stateful
 * mock: their latency and the server's memory.
 *
 * Each server runs in a child process of its own and autocannon drives it from this one, so on a
 * 2-core machine the server has a core to itself. All validate requests and responses (`errors`).
 *
 * With Debian's redis-server on the machine, the same run also measures the stateful mock on the
 * Redis store (a redis-server of its own on a free loopback port): one process, then two processes
 * on one Redis with the load split between them, beside the in-memory store.
 *
 * Namespaces. The Redis store is for a shared sandbox behind a balancer: many CI runners, each in
 * its own namespace, their requests spread over the processes. A namespace's turns run one at a
 * time across every process (its lock), so load on ONE namespace cannot go faster with a second
 * process whatever the store does: its figure (`1 ns`) is printed, but the two-process goal is
 * measured on the use case's mix (`5 ns`): 5 namespaces of 2 connections each, and with two
 * processes each namespace has one connection on each process, so every namespace's lock is
 * contended across processes (a runner's requests reach both processes), the worst case of the mix.
 * Two in-memory processes (each its own world, so not a shared sandbox) show what a second process
 * can add on this machine at all: with the load generator, Redis and two mocks on 2 cores, little.
 */
import { fork, spawn as spawnProcess, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import autocannon from "autocannon";
import { openapiJsonPath } from "@billing-api/spec";

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);
const auth = `Basic ${Buffer.from("bench-key:x").toString("base64")}`;

// A mix of reads, a validated create, an error example and a refused request. The create is for
// George (151) while the list reads Martha's (150) profiles: in stateful mode creates are real, and
// creating for Martha would grow her page to 20 profiles, 7 times the bytes to check and send.
const requests: autocannon.Request[] = [
  { method: "GET", path: "/payment_profiles/10089892.json" },
  { method: "GET", path: "/portal/customers/150/management_link.json" },
  { method: "GET", path: "/payment_profiles.json?customer_id=150&per_page=20" },
  {
    method: "POST",
    path: "/payment_profiles.json",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ payment_profile: { customer_id: 151, chargify_token: "tok_9g6hw85pnpt6knmskpwp4ttt" } }),
  },
  { method: "GET", path: "/payment_profiles/10089892.json", headers: { prefer: "code=404" } },
  { method: "POST", path: "/portal/customers/150/enable.json?auto_invite=7" },
];

async function serve(kind: string, store?: string): Promise<void> {
  if (kind === "mock" || kind === "stateful") {
    // BENCH_MOCK: another build's entry (a file path) to compare with, such as the main branch's.
    const { startMock } = (await import(process.env.BENCH_MOCK ? pathToFileURL(process.env.BENCH_MOCK).href : "@billing-api/mock")) as typeof import("@billing-api/mock");
    const mock = await startMock({ port: 0, document: openapiJsonPath, stateful: kind === "stateful", ...(store ? { store } : {}) });
    // The parent asks for the server's CPU time around a load, and its memory after one.
    process.on("message", (message) => {
      if (message === "cpu") return void process.send!({ cpu: process.cpuUsage() });
      global.gc?.();
      process.send!({ memory: process.memoryUsage() });
    });
    process.send!({ url: mock.url });
    return;
  }
  const { createLogger } = await import("@stoplight/prism-core");
  const { getHttpOperationsFromSpec } = await import("@stoplight/prism-http");
  const { createServer } = await import("@stoplight/prism-http-server");
  const server = createServer(await getHttpOperationsFromSpec(openapiJsonPath), {
    cors: false,
    config: {
      isProxy: false,
      validateRequest: true,
      validateResponse: true,
      checkSecurity: true,
      errors: true,
      upstreamProxy: undefined,
      mock: { dynamic: false },
    },
    components: { logger: createLogger("prism", { level: "silent" }) },
  });
  process.send!({ url: await server.listen(0, "127.0.0.1") });
}

/** A server of `kind` in a child process (the stateful one on `store`, if given), and its URL. */
async function spawn(kind: string, store?: string) {
  const args = ["--serve", kind, ...(store ? [store] : [])];
  const child = fork(fileURLToPath(import.meta.url), args, { stdio: ["ignore", "inherit", "inherit", "ipc"], execArgv: ["--expose-gc"] });
  const url = await new Promise<string>((resolve, reject) => {
    child.once("message", (message) => resolve((message as { url: string }).url));
    child.once("exit", (code) => reject(new Error(`${kind} exited with ${code}`)));
  });
  return { child, url };
}

function memoryOf(child: ReturnType<typeof fork>): Promise<NodeJS.MemoryUsage> {
  return new Promise((resolve) => {
    child.once("message", (message) => resolve((message as { memory: NodeJS.MemoryUsage }).memory));
    child.send("memory");
  });
}

/** The server's CPU time so far, in µs (Prism's own server does not answer: undefined). */
function cpuOf(child: ReturnType<typeof fork>, kind: string): Promise<number | undefined> {
  if (kind === "prism") return Promise.resolve(undefined);
  return new Promise((resolve) => {
    child.once("message", (message) => {
      const { user, system } = (message as { cpu: NodeJS.CpuUsage }).cpu;
      resolve(user + system);
    });
    child.send("cpu");
  });
}

/**
 * `kind` under the request mix for `seconds`: one server, or `processes` stateful ones on one Redis
 * (`store`) with the connections split between them; req/s and CPU time are their sums. With
 * `namespaces` above 1, connection c is in namespace c % namespaces and on process c % processes.
 */
async function measure(kind: string, label = kind, store?: string, processes = 1, namespaces = 1) {
  const servers = await Promise.all(Array.from({ length: processes }, () => spawn(kind, store)));
  try {
    // One autocannon per (process, namespace): its connections, its Mock-Namespace header.
    const groups = new Map<string, { url: string; namespace: string | undefined; connections: number }>();
    for (let c = 0; c < connections; c += 1) {
      const { url } = servers[c % processes]!;
      const namespace = namespaces > 1 ? `bench-${c % namespaces}` : undefined;
      const group = groups.get(`${url} ${namespace}`) ?? { url, namespace, connections: 0 };
      group.connections += 1;
      groups.set(`${url} ${namespace}`, group);
    }
    const run = (duration: number) =>
      Promise.all(
        [...groups.values()].map(({ url, namespace, connections }) =>
          autocannon({ url, connections, headers: { authorization: auth, ...(namespace ? { "mock-namespace": namespace } : {}) }, requests, duration }),
        ),
      );
    await run(2); // warm-up: compiled validators, JIT
    const cpu = async () => (await Promise.all(servers.map(({ child }) => cpuOf(child, kind)))).reduce<number | undefined>((sum, t) => (t === undefined ? undefined : (sum ?? 0) + t), 0);
    const cpuBefore = await cpu();
    const results = await run(seconds);
    const cpuAfter = await cpu();
    const total = results.reduce((sum, r) => sum + r.requests.total, 0);
    return {
      kind: label,
      rps: results.reduce((sum, r) => sum + r.requests.average, 0),
      // CPU per request barely moves with the machine's other load, unlike req/s.
      cpu: cpuBefore === undefined || cpuAfter === undefined ? undefined : (cpuAfter - cpuBefore) / total,
      p50: Math.max(...results.map((r) => r.latency.p50)),
      p99: Math.max(...results.map((r) => r.latency.p99)),
      errors: results.reduce((sum, r) => sum + r.errors + r.timeouts, 0),
      "5xx": results.reduce((sum, r) => sum + r["5xx"], 0),
    };
  } finally {
    for (const { child } of servers) child.kill();
  }
}

/** Debian's redis-server, if the machine has it. */
const redisServer = ["/usr/bin/redis-server", "/usr/local/bin/redis-server"].find((path) => existsSync(path));

/** A redis-server of the benchmark's own on a free loopback port, and how to stop it. */
async function startRedis(): Promise<{ url: string; stop: () => Promise<void> }> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  const dir = mkdtempSync(join(tmpdir(), "billing-bench-redis-"));
  const child: ChildProcess = spawnProcess(
    redisServer!,
    ["--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--save", "", "--appendonly", "yes", "--daemonize", "no", "--loglevel", "warning"],
    { stdio: ["ignore", "ignore", "inherit"] },
  );
  const { RedisStoreProvider } = await import("@billing-api/mock");
  const url = `redis://127.0.0.1:${port}/0`;
  const probeStore = new RedisStoreProvider({ url });
  await probeStore.connected(30_000);
  await probeStore.close();
  return {
    url,
    stop: async () => {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      process.kill(child.pid!, "SIGTERM");
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const creates = Number(process.env.BENCH_CREATES ?? 10_000);

/** `creates` customer creates, each with its own reference, into one namespace of a stateful mock. */
async function manyCreates() {
  const { child, url } = await spawn("stateful");
  try {
    const before = await memoryOf(child);
    let n = 0;
    const result = await autocannon({
      url,
      connections,
      amount: creates,
      headers: { authorization: auth, "content-type": "application/json", "mock-namespace": "bench-creates" },
      requests: [
        {
          method: "POST",
          path: "/customers.json",
          setupRequest: (request) => {
            n += 1;
            return { ...request, body: JSON.stringify({ customer: { first_name: "Bench", last_name: `No ${n}`, email: `bench${n}@example.com`, reference: `bench-${n}` } }) };
          },
        },
      ],
    });
    const after = await memoryOf(child);
    const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
    console.log(
      `\n${creates} creates in one namespace of the stateful mock (${connections} connections): ` +
        `${result.requests.average.toFixed(0)} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, ` +
        `${result["2xx"]} 2xx, ${result.non2xx} other; heap ${mb(before.heapUsed)} -> ${mb(after.heapUsed)} MB, ` +
        `rss ${mb(before.rss)} -> ${mb(after.rss)} MB`,
    );
  } finally {
    child.kill();
  }
}

const serveIndex = process.argv.indexOf("--serve");
if (serveIndex !== -1) {
  await serve(process.argv[serveIndex + 1]!, process.argv[serveIndex + 2]);
} else {
  console.log(`${connections} connections, ${seconds} s each, ${requests.length} request kinds in turn\n`);
  const rows: Awaited<ReturnType<typeof measure>>[] = [];
  const redis = redisServer ? await startRedis() : undefined;
  // Each Redis measure in keys of its own (prefix), so that none inherits another's creates.
  let run = 0;
  const onRedis = () => `${redis!.url}?prefix=bench-${(run += 1)}:`;
  try {
    for (let round = 0; round < 2; round += 1) {
      for (const kind of ["prism", "mock", "stateful"]) rows.push(await measure(kind));
      rows.push(await measure("stateful", "stateful 5 ns", undefined, 1, 5));
      if (redis) rows.push(await measure("stateful", "memory x2 5 ns", undefined, 2, 5));
      if (redis) {
        rows.push(await measure("stateful", "redis", onRedis()));
        rows.push(await measure("stateful", "redis x2", onRedis(), 2));
        rows.push(await measure("stateful", "redis 5 ns", onRedis(), 1, 5));
        rows.push(await measure("stateful", "redis x2 5 ns", onRedis(), 2, 5));
      }
    }
  } finally {
    await redis?.stop();
  }
  console.log("server           req/s    p50 ms  p99 ms  errors  5xx  server CPU µs/request");
  for (const row of rows) {
    console.log(
      `${row.kind.padEnd(16)} ${row.rps.toFixed(0).padStart(6)}  ${String(row.p50).padStart(6)}  ${String(row.p99).padStart(6)}  ${String(row.errors).padStart(6)}  ${String(row["5xx"]).padStart(3)}  ${row.cpu === undefined ? "" : row.cpu.toFixed(0).padStart(6)}`,
    );
  }
  const mean = (kind: string) => rows.filter((r) => r.kind === kind).reduce((sum, r) => sum + r.rps, 0) / 2;
  console.log(`\nmock / prism alone: ${(mean("mock") / mean("prism")).toFixed(2)}x`);
  const cpu = (kind: string) => rows.filter((r) => r.kind === kind).reduce((sum, r) => sum + (r.cpu ?? 0), 0) / 2;
  console.log(`stateful / stateless mock: ${(mean("stateful") / mean("mock")).toFixed(2)}x req/s, ${(cpu("mock") / cpu("stateful")).toFixed(2)}x by server CPU per request`);
  if (redis) {
    const ratios = (a: string, b: string) => `${(mean(a) / mean(b)).toFixed(2)}x req/s, ${(cpu(b) / cpu(a)).toFixed(2)}x by server CPU per request`;
    console.log(`stateful on Redis, one process / in memory, 1 ns: ${ratios("redis", "stateful")}; 5 ns: ${ratios("redis 5 ns", "stateful 5 ns")} (goal: at least 0.5x req/s)`);
    console.log(`stateful on Redis, two processes / one process, 5 ns: ${ratios("redis x2 5 ns", "redis 5 ns")} (goal: at least 1.3x req/s)`);
    console.log(`  the same on one namespace (one lock for all the load: at most about 1x by design): ${ratios("redis x2", "redis")}`);
    console.log(`  what two processes can do on this machine: two in-memory ones (each its own world) / one, 5 ns: ${ratios("memory x2 5 ns", "stateful 5 ns")}`);
  } else {
    console.log("no redis-server on this machine (npm run setup installs Debian's): the Redis store is not measured");
  }
  await manyCreates();
}

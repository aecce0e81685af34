/**
 * Throughput of the mock beside Prism's own server, on the same bundled document, in one run:
 * `npm run bench -w @billing-api/mock` (a benchmark that prints figures, not a test).
 *
 * Each server runs in a child process of its own and autocannon drives it from this one, so on a
 * 2-core machine the server has a core to itself. Both validate requests and responses (`errors`).
 */
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { openapiJsonPath } from "@billing-api/spec";

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);
const auth = `Basic ${Buffer.from("bench-key:x").toString("base64")}`;

// A mix of reads, a validated create, an error example and a refused request.
const requests: autocannon.Request[] = [
  { method: "GET", path: "/payment_profiles/10089892.json" },
  { method: "GET", path: "/portal/customers/150/management_link.json" },
  { method: "GET", path: "/payment_profiles.json?customer_id=150&per_page=20" },
  {
    method: "POST",
    path: "/payment_profiles.json",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ payment_profile: { customer_id: 150, chargify_token: "tok_9g6hw85pnpt6knmskpwp4ttt" } }),
  },
  { method: "GET", path: "/payment_profiles/10089892.json", headers: { prefer: "code=404" } },
  { method: "POST", path: "/portal/customers/150/enable.json?auto_invite=7" },
];

async function serve(kind: string): Promise<void> {
  if (kind === "mock") {
    const { startMock } = await import("@billing-api/mock");
    const mock = await startMock({ port: 0, document: openapiJsonPath });
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

async function measure(kind: string) {
  const child = fork(fileURLToPath(import.meta.url), ["--serve", kind], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      child.once("message", (message) => resolve((message as { url: string }).url));
      child.once("exit", (code) => reject(new Error(`${kind} exited with ${code}`)));
    });
    const options = { url, connections, headers: { authorization: auth }, requests };
    await autocannon({ ...options, duration: 2 }); // warm-up: compiled validators, JIT
    const result = await autocannon({ ...options, duration: seconds });
    return {
      kind,
      rps: result.requests.average,
      p50: result.latency.p50,
      p99: result.latency.p99,
      errors: result.errors + result.timeouts,
      "5xx": result["5xx"],
    };
  } finally {
    child.kill();
  }
}

const serveIndex = process.argv.indexOf("--serve");
if (serveIndex !== -1) {
  await serve(process.argv[serveIndex + 1]!);
} else {
  console.log(`${connections} connections, ${seconds} s each, ${requests.length} request kinds in turn\n`);
  const rows: Awaited<ReturnType<typeof measure>>[] = [];
  for (const kind of ["prism", "mock", "prism", "mock"]) rows.push(await measure(kind));
  console.log("server  req/s    p50 ms  p99 ms  errors  5xx");
  for (const row of rows) {
    console.log(
      `${row.kind.padEnd(7)} ${row.rps.toFixed(0).padStart(6)}  ${String(row.p50).padStart(6)}  ${String(row.p99).padStart(6)}  ${String(row.errors).padStart(6)}  ${String(row["5xx"]).padStart(3)}`,
    );
  }
  const mean = (kind: string) => rows.filter((r) => r.kind === kind).reduce((sum, r) => sum + r.rps, 0) / 2;
  console.log(`\nmock / prism alone: ${(mean("mock") / mean("prism")).toFixed(2)}x`);
}

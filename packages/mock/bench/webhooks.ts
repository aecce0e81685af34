/**
 * What sending webhooks costs the stateful mock: the same request mix against a stateful mock with
 * no endpoint and one with an endpoint subscribed to every event, in turn, three times each:
 * `npm run bench:webhooks -w @billing-api/mock` (a benchmark that prints figures, not a test).
 * The mix emits an event on every third request (a customer created, a customer updated). The
 * receiver answers 200 at once from a child process of its own, as does each mock, so the mock's
 * figures include building, checking, signing and sending each webhook, not receiving it.
 * Every webhook must arrive: the mock counts the calls that emit one, the receiver counts the ids it
 * got, and the run fails (exit code 1) when some are missing a minute after the load stops.
 */
import { fork } from "node:child_process";
import { createServer } from "node:http";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);
/**
 * none then one endpoint, this many times: each pair's ratio is taken close together in time, on a
 * shared machine. Many short pairs, not a few long ones: on a shared VM one pair's ratio ranges from
 * about 0.45 to 1.0 for the same code, and the median of three pairs moved from 0.62 to 0.96 between
 * runs; the median of ten, with its quartiles, says how far to trust it.
 */
const pairs = Number(process.env.BENCH_PAIRS ?? 10);
const auth = `Basic ${Buffer.from("bench-key:x").toString("base64")}`;
let created = 0;

const requests: autocannon.Request[] = [
  { method: "GET", path: "/customers/150.json" },
  {
    method: "POST",
    path: "/customers.json",
    headers: { "content-type": "application/json" },
    setupRequest: (request) => {
      created += 1;
      return { ...request, body: JSON.stringify({ customer: { first_name: "Bench", last_name: `No ${created}`, email: `bench${created}@example.com` } }) };
    },
  },
  { method: "GET", path: "/payment_profiles/10089892.json" },
  { method: "GET", path: "/subscriptions/222.json" },
  { method: "PUT", path: "/customers/150.json", headers: { "content-type": "application/json" }, body: JSON.stringify({ customer: { phone: "+1 703 780 2001" } }) },
  { method: "GET", path: "/portal/customers/150/management_link.json" },
];

async function serve(kind: string, url: string | undefined): Promise<void> {
  if (kind === "receiver") {
    // Distinct webhook ids: a webhook sent twice counts once.
    const ids = new Set<string>();
    const server = createServer((req, res) => req.resume().on("end", () => (ids.add(String(req.headers["x-chargify-webhook-id"])), res.writeHead(200).end())));
    server.listen(0, "127.0.0.1", () => process.send!({ url: `http://127.0.0.1:${(server.address() as { port: number }).port}/webhooks` }));
    process.on("message", (message) => {
      if (message === "reset") ids.clear();
      const cpu = process.cpuUsage();
      process.send!({ received: ids.size, cpu: cpu.user + cpu.system });
    });
    return;
  }
  const { startMock } = await import("@billing-api/mock");
  // The mix's calls that emit an event: a customer created (201) or updated (200), one webhook each.
  let emitted = 0;
  const onRequest = ({ method, path, status }: { method: string; path: string; status: number }) => {
    if ((method === "POST" && path.startsWith("/customers.json") && status === 201) || (method === "PUT" && path.startsWith("/customers/") && status === 200)) emitted++;
  };
  const mock = await startMock({ port: 0, stateful: true, onRequest, ...(url ? { webhooks: { url } } : {}) });
  process.on("message", async (message) => {
    if (message === "cpu") return void process.send!({ cpu: process.cpuUsage() });
    const log = await mock.webhooks();
    process.send!({ emitted: url ? emitted : 0, failed: log.filter((webhook) => webhook.status === "failed").length });
  });
  process.send!({ url: mock.url });
}

function spawn(kind: string, url?: string) {
  const child = fork(fileURLToPath(import.meta.url), ["--serve", kind, ...(url ? [url] : [])], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  return new Promise<{ child: typeof child; url: string }>((resolve, reject) => {
    child.once("message", (message) => resolve({ child, url: (message as { url: string }).url }));
    child.once("exit", (code) => reject(new Error(`${kind} exited with ${code}`)));
  });
}

const ask = <T>(child: ReturnType<typeof fork>, message: string) =>
  new Promise<T>((resolve) => {
    child.once("message", (answer) => resolve(answer as T));
    child.send(message);
  });

/** Waits up to a minute for the receiver to hold `expected` webhooks; how many it holds then. */
async function delivered(receiver: ReturnType<typeof fork>, expected: number): Promise<number> {
  const until = Date.now() + 60_000;
  for (;;) {
    const { received } = await ask<{ received: number }>(receiver, "count");
    if (received >= expected || Date.now() > until) return received;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function measure(kind: "none" | "one endpoint", receiver: { child: ReturnType<typeof fork>; url: string }) {
  await ask(receiver.child, "reset");
  const { child, url } = await spawn("mock", kind === "none" ? undefined : receiver.url);
  try {
    const options = { url, connections, headers: { authorization: auth }, requests };
    await autocannon({ ...options, duration: 2 });
    const before = (await ask<{ cpu: NodeJS.CpuUsage }>(child, "cpu")).cpu;
    const receiverBefore = await ask<{ received: number; cpu: number }>(receiver.child, "count");
    const result = await autocannon({ ...options, duration: seconds });
    const after = (await ask<{ cpu: NodeJS.CpuUsage }>(child, "cpu")).cpu;
    // Received when the load stopped (the rest was still queued), then after the queue drained.
    const receiverAfter = await ask<{ received: number; cpu: number }>(receiver.child, "count");
    const atStop = receiverAfter.received;
    // The receiver shares the machine's cores with the mock and the load: what it spent, per request.
    const receiverCpu = (receiverAfter.cpu - receiverBefore.cpu) / result.requests.total;
    const { emitted, failed } = await ask<{ emitted: number; failed: number }>(child, "webhooks");
    const received = await delivered(receiver.child, emitted);
    const cpu = (after.user + after.system - before.user - before.system) / result.requests.total;
    return { kind, rps: result.requests.average, cpu, receiverCpu, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx, emitted, atStop, received, failed };
  } finally {
    child.kill();
  }
}

const serveIndex = process.argv.indexOf("--serve");
if (serveIndex !== -1) {
  await serve(process.argv[serveIndex + 1]!, process.argv[serveIndex + 2]);
} else {
  const receiver = await spawn("receiver");
  console.log(`${connections} connections, ${seconds} s each, ${pairs} pairs; an event on every third request\n`);
  const rows: Awaited<ReturnType<typeof measure>>[] = [];
  for (let pair = 0; pair < pairs; pair++) for (const kind of ["none", "one endpoint"] as const) rows.push(await measure(kind, receiver));
  receiver.child.kill();
  console.log("endpoints      req/s   p50 ms  p99 ms  non-2xx  CPU µs/request (receiver's)  webhooks: emitted, received at stop, received");
  for (const row of rows) {
    console.log(
      `${row.kind.padEnd(13)} ${row.rps.toFixed(0).padStart(6)}  ${String(row.p50).padStart(6)}  ${String(row.p99).padStart(6)}  ${String(row.non2xx).padStart(7)}  ${row.cpu.toFixed(0).padStart(14)} ${`(${row.receiverCpu.toFixed(0)})`.padStart(12)}  ${row.emitted}, ${row.atStop}, ${row.received}`,
    );
  }
  const ratios = (pick: (row: (typeof rows)[number]) => number) =>
    Array.from({ length: pairs }, (_, pair) => pick(rows[2 * pair + 1]!) / pick(rows[2 * pair]!)).sort((a, b) => a - b);
  /** The value at fraction `at` of the sorted values, between the two nearest (a median of an even count is their mean). */
  const quantile = (values: number[], at: number) => {
    const position = (values.length - 1) * at;
    const below = values[Math.floor(position)]!;
    return below + (values[Math.ceil(position)]! - below) * (position - Math.floor(position));
  };
  const summary = (values: number[]) =>
    `${quantile(values, 0.5).toFixed(2)}x (quartiles ${quantile(values, 0.25).toFixed(2)}-${quantile(values, 0.75).toFixed(2)}; pairs ${values.map((value) => value.toFixed(2)).join(", ")})`;
  console.log(`\none endpoint / none, median of the pairs: ${summary(ratios((row) => row.rps))} req/s; ${summary(ratios((row) => 1 / row.cpu))} by server CPU per request`);
  const missing = rows.filter((row) => row.received !== row.emitted || row.failed > 0);
  if (missing.length > 0) {
    console.error(`\nFAILED: webhooks missing or failed: ${missing.map((row) => `${row.emitted - row.received} of ${row.emitted} not received, ${row.failed} failed`).join("; ")}`);
    process.exitCode = 1;
  }
}

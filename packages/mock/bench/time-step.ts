/**
 * The time step at scale: a namespace of the stateful mock holding 10,000 subscriptions (signed up
 * over HTTP, half on the Test Gateway's card 1, half on card 2), advanced by one month in one
 * clock call. Prints the figures (a benchmark, not a test): `npm run bench -w @billing-api/mock`.
 * The mock runs in a child process, as in throughput.ts.
 */
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";

const subscriptions = Number(process.env.BENCH_SUBSCRIPTIONS ?? 10_000);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);
const auth = `Basic ${Buffer.from("bench-key:x").toString("base64")}`;
const namespace = "bench-time";
const month = 31 * 24 * 60 * 60;

async function serve() {
  const { startMock } = await import("@billing-api/mock");
  const mock = await startMock({ port: 0, stateful: true });
  // The parent asks for the server's CPU time around the advance: on a shared machine, wall time
  // counts the other processes' turns too.
  process.on("message", () => process.send!({ cpu: process.cpuUsage() }));
  process.send!({ url: mock.url });
}

async function post(url: string, path: string, body: unknown) {
  const response = await fetch(`${url}${path}`, {
    method: "POST",
    headers: { authorization: auth, "content-type": "application/json", "mock-namespace": namespace },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

async function main() {
  const child = fork(fileURLToPath(import.meta.url), ["--serve"], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      child.once("message", (message) => resolve((message as { url: string }).url));
      child.once("exit", (code) => reject(new Error(`the mock exited with ${code}`)));
    });
    // Martha (150) pays with her card on file (ending in 1) or with a card 2 made here.
    const declining = await post(url, "/payment_profiles.json", { payment_profile: { customer_id: 150, full_number: "2", expiration_month: 12, expiration_year: 2030 } });
    const profiles = [10088716, declining.payment_profile.id as number];
    let n = 0;
    const signups = await autocannon({
      url,
      connections,
      amount: subscriptions,
      headers: { authorization: auth, "content-type": "application/json", "mock-namespace": namespace },
      requests: [
        {
          method: "POST",
          path: "/subscriptions.json",
          setupRequest: (request) => {
            n += 1;
            const subscription = { product_handle: n % 3 === 0 ? "estate-gardens" : "estate-basic", customer_id: 150, payment_profile_id: profiles[n % 2] };
            return { ...request, body: JSON.stringify({ subscription }) };
          },
        },
      ],
    });
    if (signups["2xx"] !== subscriptions) throw new Error(`only ${signups["2xx"]} of ${subscriptions} signups succeeded`);

    const cpu = () =>
      new Promise<number>((resolve) => {
        child.once("message", (message) => {
          const { user, system } = (message as { cpu: NodeJS.CpuUsage }).cpu;
          resolve((user + system) / 1000);
        });
        child.send("cpu");
      });
    const cpuBefore = await cpu();
    const started = performance.now();
    const summary = await post(url, "/__mock/clock", { advance_seconds: month });
    const ms = performance.now() - started;
    const cpuMs = (await cpu()) - cpuBefore;
    const byRule = new Map<string, number>();
    for (const change of summary.changes as { rule: string; to: string }[]) byRule.set(`${change.rule} -> ${change.to}`, (byRule.get(`${change.rule} -> ${change.to}`) ?? 0) + 1);
    console.log(
      `\n${subscriptions} subscriptions signed up (${signups.requests.average.toFixed(0)} req/s); advancing the namespace by one month: ` +
        `${ms.toFixed(0)} ms (server CPU ${cpuMs.toFixed(0)} ms) for ${summary.changes.length} changes (${[...byRule].map(([rule, count]) => `${count} ${rule}`).join(", ")})` +
        // Notices (upcoming renewals, trial ends) change nothing, but the step finds and lists them too.
        (Array.isArray(summary.notices) ? ` and ${summary.notices.length} notices` : ""),
    );
  } finally {
    child.kill();
  }
}

if (process.argv.includes("--serve")) await serve();
else await main();

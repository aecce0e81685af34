// npm run bench -w @billing-api/client
// Per-call time of a raw fetch, bare openapi-fetch and this client (path-based and named), in one
// run against one local server, and the client's bundle sizes. A benchmark, not a test: it prints.
import { fork } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import createClient from "openapi-fetch";
import { createBillingClient } from "../dist/index.js";

const rounds = Number(process.env.BENCH_ROUNDS ?? 7);
const calls = Number(process.env.BENCH_CALLS ?? 1000);

const server = fork(fileURLToPath(new URL("./server.mjs", import.meta.url)), { stdio: ["ignore", "pipe", "inherit", "ipc"] });
const [port] = (await once(server.stdout, "data")).map((chunk) => Number(String(chunk).trim()));
const baseUrl = `http://127.0.0.1:${port}`;
const headers = { Authorization: `Basic ${btoa("bench-key:x")}`, Accept: "application/json", "Content-Type": "application/json" };

const bare = createClient({ baseUrl, headers });
const billing = createBillingClient({ baseUrl, apiKey: "bench-key" });
const variants = {
  "raw fetch": async () => (await fetch(`${baseUrl}/portal/customers/150/management_link.json`, { headers })).json(),
  "openapi-fetch": () => bare.GET("/portal/customers/{customer_id}/management_link.json", { params: { path: { customer_id: 150 } } }),
  "client, path-based": () => billing.GET("/portal/customers/{customer_id}/management_link.json", { params: { path: { customer_id: 150 } } }),
  "client, named": () => billing.billingPortal.readBillingPortalLink({ customer_id: 150 }),
};

async function time(call) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) await call();
  return Number(process.hrtime.bigint() - start) / 1000 / calls; // µs per call
}

for (const call of Object.values(variants)) for (let i = 0; i < 300; i++) await call(); // warm-up
const samples = Object.fromEntries(Object.keys(variants).map((name) => [name, []]));
for (let round = 0; round < rounds; round++) {
  // Interleaved, so drift (GC, CPU frequency) spreads over every variant alike.
  for (const [name, call] of Object.entries(variants)) samples[name].push(await time(call));
}
server.kill("SIGTERM");

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const raw = median(samples["raw fetch"]);
console.log(`per call, median of ${rounds} rounds x ${calls} sequential calls (Node ${process.version}):`);
for (const [name, values] of Object.entries(samples)) {
  const us = median(values);
  console.log(`  ${name.padEnd(20)} ${us.toFixed(1).padStart(7)} µs   ${(us / raw).toFixed(2)}x raw fetch`);
}

async function gzipped(contents) {
  const result = await build({ stdin: { contents, resolveDir: fileURLToPath(new URL(".", import.meta.url)) }, bundle: true, minify: true, format: "esm", platform: "neutral", write: false, logLevel: "silent" });
  return (gzipSync(result.outputFiles[0].contents, { level: 9 }).length / 1024).toFixed(2);
}
console.log("bundle, minified + gzip (openapi-fetch included):");
console.log(`  whole client          ${await gzipped(`export { createBillingClient } from "../dist/index.js";`)} kB   (budget 6)`);
console.log(`  core, no named table  ${await gzipped(`export { createBillingCoreClient } from "../dist/core.js";`)} kB   (budget 4)`);
console.log(`  bare openapi-fetch    ${await gzipped(`export { default } from "openapi-fetch";`)} kB`);

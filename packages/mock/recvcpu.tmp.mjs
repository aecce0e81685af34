import { fork } from "node:child_process";
import { createServer } from "node:http";
import { Connections } from "./dist/webhooks/delivery.js";
if (process.argv[2] === "recv") {
  let n = 0;
  const s = createServer((req, res) => req.resume().on("end", () => (n++, res.writeHead(200).end())));
  s.listen(0, "127.0.0.1", () => process.send({ port: s.address().port }));
  let c0 = process.cpuUsage();
  process.on("message", () => { const c = process.cpuUsage(c0); process.send({ n, cpu: c.user + c.system }); n = 0; c0 = process.cpuUsage(); });
} else {
  const child = fork(new URL(import.meta.url).pathname, ["recv"]);
  const { port } = await new Promise((r) => child.once("message", r));
  const ask = () => new Promise((r) => { child.once("message", r); child.send("x"); });
  const body = "x".repeat(800);
  const window = Number(process.env.WINDOW ?? 32);
  for (let round = 0; round < 3; round++) {
    const c = new Connections();
    await c.post({ url: `http://127.0.0.1:${port}/w`, id: 0, body, signature: "a", signatureHmacSha256: "b" });
    await ask();
    const N = 6400; const c0 = process.cpuUsage(); const t0 = Date.now();
    for (let k = 0; k < N / window; k++) await Promise.all(Array.from({ length: window }, (_, i) => c.post({ url: `http://127.0.0.1:${port}/w`, id: i, body, signature: "a", signatureHmacSha256: "b" })));
    const cpu = process.cpuUsage(c0); const ms = Date.now() - t0; const r = await ask();
    console.log("window", window, "sender cpu µs/post", ((cpu.user + cpu.system) / N).toFixed(1), "receiver cpu µs/post", (r.cpu / r.n).toFixed(1), "posts/s", (N * 1000 / ms).toFixed(0));
    c.close();
  }
  child.kill();
}

import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { auth } from "@billing-api/test-support/raw";
import { noRedisMessage, redisServerPath, startRedis, type RedisServer } from "@billing-api/test-support/redis";

// A shared sandbox: three `billing-mock --stateful --store redis://...` processes on one Redis of
// the test's own serve one world (ids, unique references, rate limits), lose nothing they
// acknowledged when one of them is killed, and keep the namespaces across a Redis restart.
const bin = fileURLToPath(new URL("../../bin/billing-mock.js", import.meta.url));

interface Mock {
  url: string;
  child: ChildProcessWithoutNullStreams;
}

function startProcess(store: string): Promise<Mock> {
  const child = spawn(process.execPath, [bin, "--stateful", "--store", store, "--port", "0", "--quiet"], { stdio: "pipe" });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const found = /listening on (\S+)/.exec(out);
      if (found) resolve({ url: found[1]!, child });
    });
    child.stderr.on("data", (chunk: Buffer) => void (out += chunk.toString()));
    child.once("exit", (code) => reject(new Error(`billing-mock exited with ${code}: ${out}`)));
  });
}

async function send(base: string, namespace: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { ...auth, "Content-Type": "application/json", "Mock-Namespace": namespace },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

const customer = (reference: string) => ({ customer: { first_name: "Shared", last_name: "Sandbox", email: "shared@example.com", reference } });

describe.skipIf(!redisServerPath)(`a shared sandbox: three mock processes on one Redis${redisServerPath ? "" : ` (${noRedisMessage})`}`, () => {
  let redis: RedisServer;
  let mocks: Mock[] = [];
  const urls = () => mocks.map((mock) => mock.url);
  beforeAll(async () => {
    redis = await startRedis();
    mocks = await Promise.all([0, 1, 2].map(() => startProcess(redis.url)));
  });
  afterAll(async () => {
    for (const mock of mocks) if (mock.child.exitCode === null && mock.child.signalCode === null) process.kill(mock.child.pid!, "SIGTERM");
    await redis?.dispose();
  });

  test("a create on one process is read, listed and refused as a duplicate on the others", async () => {
    const [a, b, c] = urls() as [string, string, string];
    const created = await send(a, "cross", "POST", "/customers.json", customer("cross-1"));
    expect(created.status).toBe(201);
    const id = created.body.customer.id as number;
    expect((await send(b, "cross", "GET", `/customers/${id}.json`)).body.customer).toMatchObject({ id, reference: "cross-1" });
    expect((await send(c, "cross", "GET", "/customers/lookup.json?reference=cross-1")).body.customer.id).toBe(id);
    expect((await send(c, "cross", "POST", "/customers.json", customer("cross-1"))).status).toBe(422);
    // The next id, on another process, is the next one.
    expect((await send(b, "cross", "POST", "/customers.json", customer("cross-2"))).body.customer.id).toBe(id + 1);
    // One clock for the namespace, whichever process moves it.
    await send(c, "cross", "POST", "/__mock/clock", { now: "2031-05-01T12:00:00Z" });
    expect((await send(a, "cross", "GET", "/__mock/state")).body.now).toMatch(/^2031-05-01T12:0/);
  });

  test("50 concurrent creates with one reference, spread over three processes, give exactly one 201", async () => {
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => send(urls()[i % 3]!, "race", "POST", "/customers.json", customer("the-one"))),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 422)).toHaveLength(49);
    const listed = await send(urls()[1]!, "race", "GET", "/customers.json?q=the-one&per_page=200");
    expect(listed.body.filter((c: { customer: { reference: string } }) => c.customer.reference === "the-one")).toHaveLength(1);
  });

  test("the management link's 15 fetches per period count across processes", async () => {
    const results = await Promise.all(
      Array.from({ length: 21 }, (_, i) => send(urls()[i % 3]!, "link", "GET", "/portal/customers/150/management_link.json")),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(15);
    expect(statuses.filter((s) => s === 429)).toHaveLength(6);
    expect(Math.max(...results.filter((r) => r.status === 200).map((r) => r.body.fetch_count as number))).toBe(15);
  });

  test("kill -9 of one process mid-load loses nothing any client was told was created", async () => {
    const victim = mocks[2]!;
    const acknowledged: { id: number; reference: string }[] = [];
    let killed = false;
    const requests = Array.from({ length: 60 }, async (_, i) => {
      const reference = `load-${i}`;
      try {
        const result = await send(urls()[i % 3]!, "load", "POST", "/customers.json", customer(reference));
        if (result.status === 201) acknowledged.push({ id: result.body.customer.id, reference });
        else expect(result.status).toBe(503); // a turn the dead process held past its lock: never a success
      } catch {
        expect(i % 3).toBe(2); // only the killed process's connections fail
      }
      if (!killed && acknowledged.length >= 15) {
        killed = true;
        process.kill(victim.child.pid!, "SIGKILL");
      }
    });
    await Promise.all(requests);
    expect(killed).toBe(true);
    expect(acknowledged.length).toBeGreaterThanOrEqual(15);
    const state = await send(urls()[0]!, "load", "GET", "/__mock/state");
    const stored = Object.values(state.body.resources.customer as Record<string, { id: number; reference: string }>);
    for (const { id, reference } of acknowledged) expect(stored.find((c) => c.id === id)?.reference, reference).toBe(reference);
    // Ids stay unique.
    expect(new Set(acknowledged.map((a) => a.id)).size).toBe(acknowledged.length);
  });

  test("while Redis is away the mock answers a 503 that names it, then recovers by itself; a restart keeps the namespaces", async () => {
    const [a, b] = urls() as [string, string];
    const created = await send(a, "restart", "POST", "/customers.json", customer("before-restart"));
    expect(created.status).toBe(201);
    await redis.stop();
    const away = await send(b, "restart", "GET", `/customers/${created.body.customer.id}.json`);
    expect(away.status).toBe(503);
    expect(away.body.errors[0]).toContain(`Redis at ${redis.url}`);
    expect(away.body.errors[0]).toContain("answers again as soon as Redis is back");
    await redis.start();
    // Each process finds Redis again on its own (its client reconnects with a back-off): ask each
    // until it stops answering 503.
    const recovered = async (base: string, path: string) => {
      let answer = await send(base, "restart", "GET", path);
      for (let i = 0; i < 150 && answer.status === 503; i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        answer = await send(base, "restart", "GET", path);
      }
      return answer;
    };
    const back = await recovered(b, `/customers/${created.body.customer.id}.json`);
    expect(back.status).toBe(200);
    expect(back.body.customer.reference).toBe("before-restart");
    expect((await recovered(a, `/customers/${created.body.customer.id}.json`)).status).toBe(200);
    // The namespaces of the tests before are there too.
    expect((await send(a, "cross", "GET", "/customers/lookup.json?reference=cross-2")).status).toBe(200);
  });
});

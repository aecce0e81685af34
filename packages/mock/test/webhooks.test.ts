import { spawn } from "node:child_process";
import { createServer } from "node:http";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { webhookSignature } from "@billing-api/conformance";
import { openapiJsonPath } from "@billing-api/spec";
import { startMock } from "@billing-api/mock";
import { afterAll, describe, expect, test } from "vitest";
import { webhookReceiver } from "@billing-api/test-support/webhook-receiver";

// Webhook delivery (src/webhooks/) as a user of the mock meets it: the judge's refusal in the log
// instead of on the wire, and a process that ends when its mock is closed while a delivery waits.
// The deliveries themselves are tested in contract-tests/webhooks.

const auth = { authorization: `Basic ${Buffer.from("webhooks-test:x").toString("base64")}`, "content-type": "application/json" };

const folder = mkdtempSync(join(tmpdir(), "mock-webhooks-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe("a payload the judge refuses", () => {
  test("is logged as failed with the judge's problems, and never sent; the namespace's next webhook is", async () => {
    // The bundled spec, with customer_create asking for a key the mock's payload never has.
    const document = JSON.parse(readFileSync(openapiJsonPath, "utf8")) as { webhooks: Record<string, any> };
    const content = document.webhooks.customer_create.post.requestBody.content["application/x-www-form-urlencoded"];
    content.schema = { allOf: [content.schema, { required: ["payload[customer][nickname]"], properties: { "payload[customer][nickname]": { type: "string" } } }] };
    const path = join(folder, "openapi.json");
    writeFileSync(path, JSON.stringify(document));

    const hooks = await webhookReceiver();
    const mock = await startMock({ port: 0, stateful: true, document: path, webhooks: { url: hooks.url } });
    try {
      const created = await fetch(`${mock.url}/customers.json`, { method: "POST", headers: auth, body: JSON.stringify({ customer: { first_name: "Ada", last_name: "Lovelace", email: "ada@example.com" } }) });
      expect(created.status).toBe(201);
      // Read at once, before anything was sent: the log waits for the judge's word on what is in it.
      const [judged] = await mock.webhooks();
      expect(judged).toMatchObject({ event: "customer_create", status: "failed", problems: [expect.stringContaining("payload[customer][nickname]")] });
      const updated = await fetch(`${mock.url}/customers/150.json`, { method: "PUT", headers: auth, body: JSON.stringify({ customer: { phone: "+1 703 780 2001" } }) });
      expect(updated.status).toBe(200);
      // Sent in order: once customer_update is in, customer_create would have been before it.
      await hooks.until(1);
      expect(hooks.deliveries.map(({ body }) => new URLSearchParams(body).get("event"))).toEqual(["customer_update"]);

      const [refused, sent] = await mock.webhooks();
      expect(refused).toMatchObject({ event: "customer_create", status: "failed", successful: false, attempts: [], next_attempt_at: null });
      expect(refused!.problems).toEqual([expect.stringContaining("payload[customer][nickname]")]);
      expect(refused!.last_error).toContain("The mock's payload breaks the spec");
      expect(refused!.body).toMatch(/^id=\d+&event=customer_create&/);
      expect(sent).toMatchObject({ event: "customer_update" });
      expect(sent!.problems).toBeUndefined();
    } finally {
      await mock.close();
      await hooks.close();
    }
  });
});

describe("delivery", () => {
  test("never keeps the process alive: closing the mock while an endpoint holds a webhook unanswered lets it end", async () => {
    const script = `
      import { createServer } from "node:http";
      import { startMock } from "@billing-api/mock";
      let arrived;
      const held = new Promise((resolve) => (arrived = resolve));
      const server = createServer(() => arrived()); // never answers
      await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
      const mock = await startMock({ port: 0, stateful: true, webhooks: { url: "http://127.0.0.1:" + server.address().port + "/hooks" } });
      await fetch(mock.url + "/customers.json", { method: "POST", headers: ${JSON.stringify(auth)}, body: JSON.stringify({ customer: { first_name: "Ada", last_name: "Lovelace", email: "ada@example.com" } }) });
      await held;
      const [webhook] = await mock.webhooks();
      console.log(webhook.event + " " + webhook.status);
      await mock.close();
      server.closeAllConnections();
      server.close();
    `;
    // With one of V8's flags beside `--input-type`: the delivery thread takes neither.
    const child = spawn(process.execPath, ["--max-old-space-size=512", "--input-type=module", "-e", script], { cwd: fileURLToPath(new URL("..", import.meta.url)), stdio: ["ignore", "pipe", "pipe"], timeout: 120_000 });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(output.trim()).toBe("customer_create pending");
    expect(code).toBe(0);
  });

  test("billing-mock run with one of V8's flags (node --max-old-space-size=256) sends its webhooks", async () => {
    const hooks = await webhookReceiver();
    const bin = fileURLToPath(new URL("../bin/billing-mock.js", import.meta.url));
    const child = spawn(process.execPath, ["--max-old-space-size=256", bin, "--stateful", "--port", "0", "--quiet", "--webhook-url", hooks.url], { stdio: ["ignore", "pipe", "pipe"], timeout: 120_000 });
    try {
      let output = "";
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on("data", (chunk: Buffer) => {
          output += chunk.toString();
          const found = /listening on (\S+)/.exec(output);
          if (found) resolve(found[1]!);
        });
        child.stderr.on("data", (chunk: Buffer) => void (output += chunk.toString()));
        child.once("exit", (code) => reject(new Error(`billing-mock exited with ${code}: ${output}`)));
      });
      const created = await fetch(`${url}/customers.json`, { method: "POST", headers: auth, body: JSON.stringify({ customer: { first_name: "Ada", last_name: "Lovelace", email: "ada@example.com" } }) });
      expect(created.status).toBe(201);
      const [delivery] = await hooks.until(1);
      expect(new URLSearchParams(delivery!.body).get("event")).toBe("customer_create");
    } finally {
      child.kill();
      await hooks.close();
    }
  });

  test("a value with a NUL character in it arrives as it was sent, signed, and the log shows the same bytes", async () => {
    // The mock's thread hands webhooks to its delivery thread as text split at NUL characters: a
    // customer's own NUL must not split it.
    const hooks = await webhookReceiver();
    const mock = await startMock({ port: 0, stateful: true, webhooks: { url: hooks.url }, sharedKey: "nul-key" });
    try {
      const organization = "Acme\u0000Widgets";
      const created = await fetch(`${mock.url}/customers.json`, { method: "POST", headers: auth, body: JSON.stringify({ customer: { first_name: "Ada", last_name: "Lovelace", email: "ada@example.com", organization } }) });
      expect(created.status).toBe(201);
      const [delivery] = await hooks.until(1);
      const fields = new URLSearchParams(delivery!.body);
      expect([fields.get("event"), fields.get("payload[customer][organization]"), fields.get("payload[customer][email]")]).toEqual(["customer_create", organization, "ada@example.com"]);
      expect(delivery!.headers["x-chargify-webhook-signature-hmac-sha-256"]).toBe(webhookSignature(delivery!.body, "nul-key"));
      const [logged] = await mock.webhooks();
      expect(logged).toMatchObject({ body: delivery!.body, signature_hmac_sha_256: webhookSignature(delivery!.body, "nul-key") });
    } finally {
      await mock.close();
      await hooks.close();
    }
  });

  test("what mock.webhooks() answers is the log as it was: a later attempt does not change it", async () => {
    let status = 500;
    const hooks = await webhookReceiver(() => status);
    const mock = await startMock({ port: 0, stateful: true, webhooks: { url: hooks.url } });
    /** The log once it holds `count` attempts of its first webhook (the receiver sees each a moment earlier). */
    const recorded = async (count: number) => {
      for (;;) {
        const log = await mock.webhooks();
        if (log[0] && log[0].attempts.length >= count) return log[0];
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    try {
      await fetch(`${mock.url}/customers.json`, { method: "POST", headers: auth, body: JSON.stringify({ customer: { first_name: "Ada", last_name: "Lovelace", email: "ada@example.com" } }) });
      const failed = await recorded(1);
      expect(failed).toMatchObject({ status: "pending", successful: false, attempts: [{ status: 500 }] });
      const before = structuredClone(failed);

      status = 200;
      await mock.clock.advance(10);
      const accepted = await recorded(2);
      expect(accepted).toMatchObject({ status: "successful", successful: true, attempts: [{ status: 500 }, { status: 200 }], next_attempt_at: null });
      expect(failed).toEqual(before);
    } finally {
      await mock.close();
      await hooks.close();
    }
  });

  test("an endpoint that never answers holds up no other, not even one on its own origin", async () => {
    // One server, two endpoints: /silent reads every webhook and answers none; /billing/webhooks
    // answers each at once. More webhooks than one connection has on the wire at once (32).
    const answered: string[] = [];
    let silent = 0;
    let wake: () => void = () => undefined;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        if (req.url === "/silent") return void (silent += 1);
        answered.push(new URLSearchParams(Buffer.concat(chunks).toString("utf8")).get("event")!);
        res.writeHead(200).end();
        wake();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const mock = await startMock({ port: 0, stateful: true, webhooks: { url: `${origin}/billing/webhooks` } });
    try {
      const endpoint = await fetch(`${mock.url}/endpoints.json`, { method: "POST", headers: auth, body: JSON.stringify({ endpoint: { url: `${origin}/silent`, webhook_subscriptions: ["customer_create"] } }) });
      expect(endpoint.status).toBe(201);
      const customers = 40;
      for (let n = 0; n < customers; n++) {
        const created = await fetch(`${mock.url}/customers.json`, { method: "POST", headers: auth, body: JSON.stringify({ customer: { first_name: "Ada", last_name: `No ${n}`, email: `ada${n}@example.com` } }) });
        expect(created.status).toBe(201);
      }
      while (answered.length < customers) await new Promise<void>((resolve) => (wake = resolve));
      expect(answered).toEqual(Array(customers).fill("customer_create"));
      // The silent endpoint has its webhooks, and no attempt of it has ended yet (one ends only when
      // its 15 s are up): the other endpoint's webhooks did not wait for them.
      expect(silent).toBeGreaterThan(0);
      const held = (await mock.webhooks()).filter((webhook) => webhook.endpoint_id === 2);
      expect(held).toHaveLength(customers);
      expect(held.every((webhook) => webhook.status === "pending" && webhook.attempts.length === 0)).toBe(true);
    } finally {
      await mock.close();
      server.closeAllConnections();
      server.close();
    }
  });
});

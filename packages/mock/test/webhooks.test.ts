import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
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
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], { cwd: fileURLToPath(new URL("..", import.meta.url)), stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(output.trim()).toBe("customer_create pending");
    expect(code).toBe(0);
  });
});

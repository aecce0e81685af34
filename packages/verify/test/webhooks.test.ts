import { spawn } from "node:child_process";
import { createHmac } from "node:crypto";
import { mkdtemp, readFile } from "node:fs/promises";
import { createServer, type IncomingMessage } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { listen } from "@billing-api/cli-kit";
import { WebhookCheck } from "@billing-api/conformance";
import { startWebhookReceiver, type WebhookReceiver } from "@billing-api/verify";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { cli } from "./run-cli.js";
import { document } from "@billing-api/test-support/spec";

// billing-verify webhooks: deliveries judged by the spec's webhooks (headers, signature, form body),
// forwarded to the app with its answer sent back, and reported as the other modes report.
const sharedKey = "verify-shared-key-7f3a";
type Example = { value: Record<string, string> };
const exampleOf = (event: string) =>
  Object.values((document.webhooks as Record<string, { post: { requestBody: { content: Record<string, { examples: Record<string, Example> }> } } }>)[event]!.post.requestBody.content["application/x-www-form-urlencoded"]!.examples)[0]!.value;
const formOf = (value: Record<string, string>) => new URLSearchParams(value).toString();

function deliver(url: string, fields: Record<string, string>, options: { key?: string; body?: string; headers?: Record<string, string> } = {}) {
  const body = options.body ?? formOf(fields);
  return fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "x-chargify-webhook-id": fields.id!,
      "x-chargify-webhook-signature-hmac-sha-256": createHmac("sha256", options.key ?? sharedKey).update(formOf(fields)).digest("hex"),
      ...options.headers,
    },
    body,
  });
}

describe("the webhook receiver", () => {
  const received: { body: string; headers: IncomingMessage["headers"] }[] = [];
  let app: { url: string; close: () => Promise<void> };
  let receiver: WebhookReceiver;
  let forwarding: WebhookReceiver;

  beforeAll(async () => {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        received.push({ body: Buffer.concat(chunks).toString(), headers: req.headers });
        res.writeHead(received.length === 1 ? 500 : 200, { "content-type": "text/plain" }).end(received.length === 1 ? "busy" : "ok");
      });
    });
    const url = await listen(server, 0, "127.0.0.1");
    app = { url, close: () => new Promise((resolve) => server.close(() => resolve())) };
    const check = new WebhookCheck(document as unknown as Record<string, unknown>);
    receiver = await startWebhookReceiver({ check, sharedKey });
    forwarding = await startWebhookReceiver({ check, sharedKey, forward: new URL(`${app.url}/billing/webhooks`) });
  });
  afterAll(async () => {
    await receiver?.close();
    await forwarding?.close();
    await app?.close();
  });

  test("a signed example of every event conforms", async () => {
    for (const event of Object.keys(document.webhooks as object)) expect((await deliver(receiver.url, exampleOf(event))).status).toBe(200);
    expect(receiver.deliveries.flatMap((delivery) => delivery.violations)).toEqual([]);
    expect(new Set(receiver.deliveries.map((delivery) => delivery.event)).size).toBe(Object.keys(document.webhooks as object).length);
  });

  test("a changed body, a missing field, another key and a wrong id header are each one violation, named", async () => {
    const fields = exampleOf("customer_create");
    const before = receiver.deliveries.length;
    await deliver(receiver.url, fields, { body: formOf(fields).replace("Martha", "Marthe") });
    const { "payload[customer][email]": _email, ...withoutEmail } = fields;
    await deliver(receiver.url, withoutEmail);
    await deliver(receiver.url, fields, { key: "another-key" });
    await deliver(receiver.url, fields, { headers: { "x-chargify-webhook-id": "1" } });
    const found = receiver.deliveries.slice(before).map((delivery) => delivery.violations.map(({ kind, pointer }) => `${kind} ${pointer}`));
    expect(found).toEqual([
      ["signature /x-chargify-webhook-signature-hmac-sha-256"],
      ["missing-property /payload[customer][email]"],
      ["signature /x-chargify-webhook-signature-hmac-sha-256"],
      ["schema /x-chargify-webhook-id"],
    ]);
  });

  test("--forward passes the delivery on byte for byte and sends the app's answer back", async () => {
    const fields = exampleOf("signup_success");
    const first = await deliver(forwarding.url, fields);
    expect(first.status).toBe(500);
    expect(await first.text()).toBe("busy");
    const second = await deliver(forwarding.url, fields);
    expect(second.status).toBe(200);
    expect(received.map(({ body }) => body)).toEqual([formOf(fields), formOf(fields)]);
    expect(received[0]!.headers["x-chargify-webhook-id"]).toBe(fields.id);
    expect(forwarding.deliveries.map(({ status, violations }) => [status, violations.length])).toEqual([[500, 0], [200, 0]]);
  });
});

describe("billing-verify webhooks (the CLI)", () => {
  test("prints each violation, writes --json and --junit, exits 1 on Ctrl-C, and never prints the shared key", async () => {
    const dir = await mkdtemp(join(tmpdir(), "verify-webhooks-"));
    const child = spawn(process.execPath, [cli, "webhooks", "--port", "0", "--shared-key", sharedKey, "--json", join(dir, "report.json"), "--junit", join(dir, "report.xml")], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number>((resolve) => child.once("exit", (code) => resolve(code ?? 1)));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on("data", () => {
        const found = /listening on (http:\/\/\S+?)[;,\s]/.exec(stdout)?.[1];
        if (found) resolve(found);
      });
      void exited.then(() => reject(new Error(`billing-verify webhooks exited: ${stderr}`)));
    });
    const fields = exampleOf("payment_success");
    await deliver(url, fields);
    await deliver(url, fields, { body: `${formOf(fields)}&key=${sharedKey}` });
    child.kill("SIGINT");
    expect(await exited).toBe(1);
    expect(stdout).toContain("#1 payment_success 141769008 -> 200");
    expect(stdout).toMatch(/#2 payment_success 141769008 -> 200: webhook header \/x-chargify-webhook-signature-hmac-sha-256: expected the HMAC-SHA256 of this body/);
    expect(stdout).toMatch(/2 deliveries of 1 webhooks \(1 retries or replays\)/);
    expect(stdout + stderr).not.toContain(sharedKey);
    const report = await readFile(join(dir, "report.json"), "utf8");
    expect(JSON.parse(report)).toMatchObject({ mode: "webhooks", summary: { deliveries: 2, violations: { total: 1, byKind: { signature: 1 } } } });
    expect(report).not.toContain(sharedKey);
    expect(await readFile(join(dir, "report.xml"), "utf8")).toMatch(/<testcase classname="billing-verify.webhooks" name="payment_success">\s*<failure/);
  });
});

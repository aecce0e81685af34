import { createHmac } from "node:crypto";
import { parseForm, parseWebhook, signWebhookBody, WebhookSignatureError } from "@billing-api/client";
import { describe, expect, test } from "vitest";
import { document } from "@billing-api/test-support/spec";

// parseWebhook against every event's named example in the bundled spec, signed as the API signs
// (Node's own HMAC here, Web Crypto inside parseWebhook): accepted and nested; one changed byte, another
// key, a missing or malformed header refused. That it accepts what the mock sends is in delivery.test.ts.
const sharedKey = "the-site-shared-key";
type WebhookItem = { post: { requestBody: { content: Record<string, { examples: Record<string, { value: Record<string, string> }> }> } } };
const examples = Object.entries(document.webhooks as Record<string, WebhookItem>).map(([event, item]) => {
  const [value] = Object.values(item.post.requestBody.content["application/x-www-form-urlencoded"]!.examples).map((example) => example.value);
  return { event, value: value! };
});
const formOf = (value: Record<string, string>) => new URLSearchParams(value).toString();
const sign = (body: string | Uint8Array, key = sharedKey) => createHmac("sha256", key).update(body).digest("hex");

describe("parseWebhook", () => {
  test("the spec describes webhooks to parse", () => {
    expect(examples.length).toBeGreaterThan(20);
  });

  test.each(examples.map(({ event, value }) => [event, value] as const))("%s: its signed example is accepted, nested by its bracket keys", async (event, value) => {
    const body = formOf(value);
    const webhook = await parseWebhook({ body, headers: { "x-chargify-webhook-signature-hmac-sha-256": sign(body) }, sharedKey });
    expect(webhook.event).toBe(event);
    expect(webhook.id).toBe(value.id);
    expect(webhook.payload).toMatchObject({ site: { subdomain: "acme" }, event_id: value["payload[event_id]"] });
    if (value["payload[subscription][customer][email]"]) {
      expect((webhook.payload as { subscription: { customer: { email: string } } }).subscription.customer.email).toBe(value["payload[subscription][customer][email]"]);
    }
  });

  test("the body may be bytes, and the headers a Headers", async () => {
    const bytes = new TextEncoder().encode(formOf(examples[0]!.value));
    const webhook = await parseWebhook({ body: bytes, headers: new Headers({ "X-Chargify-Webhook-Signature-Hmac-Sha-256": sign(bytes) }), sharedKey });
    expect(webhook.id).toBe(examples[0]!.value.id);
  });

  test("one changed byte, another key, an uppercase or missing signature", async () => {
    const body = formOf(examples[0]!.value);
    const signature = sign(body);
    const tampered = body.replace("payload%5Bsite%5D%5Bid%5D=4150", "payload%5Bsite%5D%5Bid%5D=4151");
    expect(tampered).not.toBe(body);
    const refusal = (options: Parameters<typeof parseWebhook>[0]) => parseWebhook(options).then(() => undefined, (error: unknown) => error);

    const changed = await refusal({ body: tampered, headers: { "X-Chargify-Webhook-Signature-Hmac-Sha-256": signature }, sharedKey });
    expect(changed).toBeInstanceOf(WebhookSignatureError);
    expect(changed).toMatchObject({ reason: "mismatch" });
    expect(String((changed as Error).message)).not.toContain(sharedKey);

    const bytes = new TextEncoder().encode(body);
    bytes[bytes.length - 1] = bytes.at(-1)! ^ 1;
    expect(await refusal({ body: bytes, headers: { "X-Chargify-Webhook-Signature-Hmac-Sha-256": signature }, sharedKey })).toMatchObject({ reason: "mismatch" });
    expect(await refusal({ body, headers: { "X-Chargify-Webhook-Signature-Hmac-Sha-256": sign(body, "another-key") }, sharedKey })).toMatchObject({ reason: "mismatch" });
    expect(await refusal({ body, headers: {}, sharedKey })).toMatchObject({ name: "WebhookSignatureError", reason: "missing" });
    expect(await refusal({ body, headers: { "X-Chargify-Webhook-Signature-Hmac-Sha-256": "abc" }, sharedKey })).toMatchObject({ reason: "malformed" });
    // Hex is case-insensitive: the same digest in capitals is the same signature.
    expect((await parseWebhook({ body, headers: { "X-Chargify-Webhook-Signature-Hmac-Sha-256": signature.toUpperCase() }, sharedKey })).id).toBe(examples[0]!.value.id);
  });

  test("signWebhookBody signs as the API does (lowercase hex HMAC-SHA256 of the raw body)", async () => {
    const body = formOf(examples[0]!.value);
    expect(await signWebhookBody(body, sharedKey)).toBe(sign(body));
  });
});

describe("parseForm", () => {
  test("bracket keys nest, [] collects, + and %20 are spaces, prototype keys are dropped", () => {
    const parsed = parseForm("id=1&event=x&payload[a][b]=c%20d&payload[a][e]=f+g&payload[list][]=1&payload[list][]=2&payload[__proto__][polluted]=1&plain=ok");
    expect(parsed).toEqual({ id: "1", event: "x", payload: { a: { b: "c d", e: "f g" }, list: ["1", "2"] }, plain: "ok" });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

/**
 * Receiving webhooks: `parseWebhook` checks a delivery's signature over the raw body and returns the
 * webhook parsed and typed by its event. Web Crypto only (`globalThis.crypto.subtle`), so the same
 * code runs in Node 20, Deno, Bun and edge runtimes. Kept out of `@billing-api/client/core`.
 *
 * On the wire a webhook is a form body, `id=...&event=...&payload[subscription][id]=222&...`,
 * described per event under the spec's `webhooks`; here the bracket keys nest into `payload`.
 */
import type { webhooks } from "./generated/openapi.js";

/** The name of every event the spec describes (`signup_success`, `customer_create`, ...). */
export type WebhookEvent = keyof webhooks & string;

/** An event's form body as the wire carries it: flat bracket-notation keys, every value a string. */
export type WebhookForm<E extends WebhookEvent> = webhooks[E] extends {
  post: { requestBody: { content: { "application/x-www-form-urlencoded": infer Body } } };
}
  ? Body
  : never;

type PayloadKeys<T> = { [K in keyof T as K extends `payload${infer Rest}` ? Rest : never]: T[K] };
type Heads<T> = { [K in keyof T]-?: K extends `[${infer Head}]${string}` ? Head : never }[keyof T];
type Below<T, Head extends string> = { [K in keyof T as K extends `[${Head}]${infer Rest}` ? (Rest extends "" ? never : Rest) : never]: T[K] };
type IsLeaf<T, Head extends string> = `[${Head}]` extends keyof T ? true : false;
type NodeOf<T, Head extends string> = IsLeaf<T, Head> extends true ? Exclude<T[`[${Head}]` & keyof T], undefined> : Nested<Below<T, Head>>;
type RequiredHeads<T> = {
  [Head in Heads<T>]: IsLeaf<T, Head> extends true
    ? {} extends Pick<T, `[${Head}]` & keyof T> ? never : Head
    : {} extends Below<T, Head> ? never : Head;
}[Heads<T>];
type Simplify<T> = { [K in keyof T]: T[K] } & {};
/** Bracket keys (`[subscription][customer][id]`) nested into objects; a group is optional when all its keys are. */
type Nested<T> = Simplify<{ [Head in RequiredHeads<T>]: NodeOf<T, Head> } & { [Head in Exclude<Heads<T>, RequiredHeads<T>>]?: NodeOf<T, Head> }>;

/** An event's `payload`, nested: `payload[subscription][customer][email]` is `payload.subscription.customer.email`. */
export type WebhookPayload<E extends WebhookEvent> = Nested<PayloadKeys<WebhookForm<E>>>;

/** A parsed webhook: a union discriminated by `event`, so `if (webhook.event === "signup_success")` types `payload`. */
export type Webhook<E extends WebhookEvent = WebhookEvent> = {
  [Event in E]: { id: string; event: Event; payload: WebhookPayload<Event> };
}[E];

/** The signature header, as the API names it. */
export const webhookSignatureHeader = "X-Chargify-Webhook-Signature-Hmac-Sha-256";
/** The webhook id header: the same on every retry and replay. */
export const webhookIdHeader = "X-Chargify-Webhook-Id";

/** A delivery whose signature is missing or does not match its body and the shared key. The message never holds the key. */
export class WebhookSignatureError extends Error {
  override readonly name = "WebhookSignatureError";
  constructor(
    message: string,
    /** `missing`: no signature header; `malformed`: not 64 hex digits; `mismatch`: not this body's signature with this key. */
    readonly reason: "missing" | "malformed" | "mismatch",
  ) {
    super(message);
  }
}

export interface ParseWebhookOptions {
  /** The raw request body, exactly as received: a string, or its bytes. Never a re-serialized parse. */
  body: string | Uint8Array | ArrayBuffer;
  /** The request's headers: a `Headers`, or a plain object as Node's `IncomingMessage.headers`. */
  headers: Headers | Record<string, string | string[] | undefined>;
  /** The site's shared key (Advanced Billing: Config > Settings). */
  sharedKey: string;
}

/**
 * Verifies a webhook delivery and parses it. The HMAC-SHA256 of the raw body with `sharedKey` must
 * equal the `X-Chargify-Webhook-Signature-Hmac-Sha-256` header; Web Crypto's `verify` compares in
 * constant time. Throws `WebhookSignatureError` otherwise, and a `TypeError` for a signed body
 * without `id` or `event`. Act on `id` once: retries and replays send the same id again.
 */
export async function parseWebhook(options: ParseWebhookOptions): Promise<Webhook> {
  const { headers, sharedKey } = options;
  if (typeof sharedKey !== "string" || sharedKey === "") throw new TypeError("parseWebhook needs the site's shared key (sharedKey).");
  const signature = headerOf(headers, webhookSignatureHeader);
  if (signature === undefined) throw new WebhookSignatureError(`The delivery has no ${webhookSignatureHeader} header.`, "missing");
  if (!/^[0-9a-fA-F]{64}$/.test(signature)) throw new WebhookSignatureError(`${webhookSignatureHeader} is not 64 hex digits.`, "malformed");
  const bytes = bytesOf(options.body);
  if (!(await hmacMatches(sharedKey, bytes, hexBytes(signature)))) {
    throw new WebhookSignatureError(`${webhookSignatureHeader} does not match the body signed with the shared key (a changed body, or another key).`, "mismatch");
  }
  const form = parseForm(new TextDecoder().decode(bytes));
  if (typeof form.id !== "string" || typeof form.event !== "string") throw new TypeError("The webhook body has no id or event.");
  return { id: form.id, event: form.event, payload: form.payload ?? {} } as unknown as Webhook;
}

/**
 * Parses a form body with bracket-notation keys into nested objects: `payload[site][id]=4150`
 * becomes `{ payload: { site: { id: "4150" } } }`; `key[]` collects an array. Every value is a string.
 */
export function parseForm(body: string): Record<string, any> {
  const root: Record<string, any> = {};
  new URLSearchParams(body).forEach((value, key) => {
    const path = keyPath(key);
    if (!path || path.some((part) => unsafeKeys.has(part))) return;
    let node = root;
    path.forEach((part, index) => {
      const last = index === path.length - 1;
      if (part === "" && Array.isArray(node)) {
        if (last) (node as unknown as string[]).push(value);
        else (node as unknown as Record<string, any>[]).push((node = {}));
        return;
      }
      if (last) node[part] = value;
      else {
        const next = path[index + 1] === "" ? [] : {};
        if (typeof node[part] !== "object" || node[part] === null) node[part] = next;
        node = node[part];
      }
    });
  });
  return root;
}

const unsafeKeys = new Set(["__proto__", "constructor", "prototype"]);

/** `a[b][c]` -> ["a", "b", "c"]; `a[]` -> ["a", ""]; undefined for a key with unbalanced brackets. */
function keyPath(key: string): string[] | undefined {
  const match = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(key);
  if (!match) return key === "" ? undefined : [key];
  return [match[1]!, ...[...match[2]!.matchAll(/\[([^[\]]*)\]/g)].map((part) => part[1]!)];
}

function headerOf(headers: ParseWebhookOptions["headers"], name: string): string | undefined {
  if (typeof (headers as Headers).get === "function") return (headers as Headers).get(name) ?? undefined;
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers as Record<string, string | string[] | undefined>)) {
    if (key.toLowerCase() === wanted) return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
}

function bytesOf(body: ParseWebhookOptions["body"]): Uint8Array {
  if (typeof body === "string") return new TextEncoder().encode(body);
  return body instanceof Uint8Array ? body : new Uint8Array(body);
}

function hexBytes(hex: string): Uint8Array {
  const bytes = new Uint8Array(hex.length / 2);
  for (let index = 0; index < bytes.length; index++) bytes[index] = parseInt(hex.slice(index * 2, index * 2 + 2), 16);
  return bytes;
}

async function hmacMatches(sharedKey: string, body: Uint8Array, signature: Uint8Array): Promise<boolean> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) throw new TypeError("parseWebhook needs Web Crypto (globalThis.crypto.subtle): Node 20, Deno, Bun or an edge runtime.");
  const key = await subtle.importKey("raw", new TextEncoder().encode(sharedKey), { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
  return subtle.verify("HMAC", key, signature as BufferSource, body as BufferSource);
}

/**
 * Signs a form body as the API does: the lowercase hex HMAC-SHA256 of the raw body keyed with the
 * shared key. For tests of a webhook handler (the mock signs its deliveries the same way).
 */
export async function signWebhookBody(body: string | Uint8Array, sharedKey: string): Promise<string> {
  const key = await globalThis.crypto.subtle.importKey("raw", new TextEncoder().encode(sharedKey), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = new Uint8Array(await globalThis.crypto.subtle.sign("HMAC", key, bytesOf(body) as BufferSource));
  return Array.from(mac, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/**
 * Whether one webhook delivery fits the spec's top-level `webhooks`: its media type, its two headers,
 * its signature (when the shared key is known) and its form body against the schema of its event,
 * with the same SchemaCheck that judges every request and answer. The mock runs it on each payload
 * before sending; `billing-verify webhooks` on each delivery it receives. Problems are data
 * (kind, part, pointer, expected, found), each caller formats them its own way.
 *
 * The body is judged as the wire carries it: a flat map of form keys (`payload[subscription][id]`)
 * to strings, the shape the spec's webhook schemas describe.
 */
import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from "node:crypto";
import { SchemaCheck, shortJson, wanted, type ProblemKind } from "./schema-check.js";

export type WebhookViolationKind = ProblemKind | "unknown-event" | "content-type" | "missing-header" | "signature" | "malformed-body";

export interface WebhookViolation {
  kind: WebhookViolationKind;
  /** The event the delivery names, when it names one. */
  event?: string;
  part: "webhook header" | "webhook body";
  /** The header (`/x-chargify-webhook-id`) or the form key (`/payload[subscription][id]`); `""` for the whole body. */
  pointer: string;
  expected: string;
  found: string;
}

export interface WebhookDelivery {
  /** Header names in lower case. */
  headers: Record<string, string | undefined>;
  /** The raw body, as sent. */
  body: string | Uint8Array;
}

export interface WebhookVerdict {
  id?: string;
  event?: string;
  violations: WebhookViolation[];
}

export const webhookSignatureHeader = "x-chargify-webhook-signature-hmac-sha-256";
export const webhookIdHeader = "x-chargify-webhook-id";
const formType = "application/x-www-form-urlencoded";
const utf8 = new TextDecoder("utf-8", { fatal: true });

let signingKey: { text: string; key: KeyObject } | undefined;

/** The lowercase hex HMAC-SHA256 of a body with the site's shared key, as the API signs a webhook. */
export function webhookSignature(body: string | Uint8Array, sharedKey: string): string {
  // The key as a KeyObject, made once: the mock signs every webhook with the same one.
  if (signingKey?.text !== sharedKey) signingKey = { text: sharedKey, key: createSecretKey(Buffer.from(sharedKey)) };
  return createHmac("sha256", signingKey.key).update(body).digest("hex");
}

/** One sentence: `webhook body /payload[subscription][id]: expected string, found nothing (signup_success)`. */
export function describeWebhookViolation(violation: WebhookViolation): string {
  const where = violation.pointer ? `${violation.part} ${violation.pointer}` : violation.part;
  return `${where}: ${wanted(violation.expected)}, found ${violation.found}${violation.event ? ` (${violation.event})` : ""}`;
}

/** A form body as its flat keys, the last value of a repeated key winning (the API repeats none). */
export function formFields(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  new URLSearchParams(text).forEach((value, key) => {
    fields[key] = value;
  });
  return fields;
}

export class WebhookCheck {
  /** The events the document describes, in its order. */
  readonly events: string[];

  constructor(
    readonly document: Record<string, unknown>,
    private readonly schemas: SchemaCheck = new SchemaCheck(document),
  ) {
    this.events = Object.keys((document.webhooks as Record<string, unknown> | undefined) ?? {});
  }

  /** The JSON pointer of an event's form body schema. */
  schemaPointer(event: string): string {
    return `/webhooks/${event.replace(/~/g, "~0").replace(/\//g, "~1")}/post/requestBody/content/${formType.replace("/", "~1")}/schema`;
  }

  /** The problems of a payload (flat form keys) against its event's schema. */
  payloadProblems(event: string, fields: Record<string, string>): WebhookViolation[] {
    if (!this.events.includes(event)) return [{ kind: "unknown-event", event, part: "webhook body", pointer: "/event", expected: `one of the documented events`, found: shortJson(event) }];
    return this.schemas.check(this.schemaPointer(event), fields).map((problem) => ({
      kind: problem.kind,
      event,
      part: "webhook body",
      // The schema's keys hold brackets, not slashes: the pointer is the form key itself.
      pointer: problem.pointer.replace(/~1/g, "/").replace(/~0/g, "~"),
      expected: problem.expected,
      found: problem.found,
    }));
  }

  /**
   * Judges a whole delivery. Without `sharedKey` the signature is only checked for its form (64 hex
   * digits); with it, against the body, in constant time.
   */
  check(delivery: WebhookDelivery, sharedKey?: string): WebhookVerdict {
    const violations: WebhookViolation[] = [];
    const header = (name: string) => delivery.headers[name];
    const contentType = header("content-type")?.split(";")[0]?.trim().toLowerCase();
    if (contentType !== formType) violations.push({ kind: "content-type", part: "webhook header", pointer: "/content-type", expected: formType, found: contentType ? shortJson(contentType) : "nothing" });

    const signature = header(webhookSignatureHeader);
    if (signature === undefined) violations.push({ kind: "missing-header", part: "webhook header", pointer: `/${webhookSignatureHeader}`, expected: "the hex HMAC-SHA256 of the body", found: "nothing" });
    else if (!/^[0-9a-f]{64}$/.test(signature)) violations.push({ kind: "signature", part: "webhook header", pointer: `/${webhookSignatureHeader}`, expected: "64 lowercase hex digits", found: shortJson(signature) });
    else if (sharedKey !== undefined && !sameHex(signature, webhookSignature(delivery.body, sharedKey))) {
      violations.push({ kind: "signature", part: "webhook header", pointer: `/${webhookSignatureHeader}`, expected: "the HMAC-SHA256 of this body with the shared key", found: "another signature (a changed body, or another key)" });
    }

    let text: string;
    try {
      text = typeof delivery.body === "string" ? delivery.body : utf8.decode(delivery.body);
    } catch {
      return { violations: [...violations, { kind: "malformed-body", part: "webhook body", pointer: "", expected: "UTF-8 form text", found: "bytes that are not UTF-8" }] };
    }
    const fields = formFields(text);
    const { id, event } = fields;
    const webhookId = header(webhookIdHeader);
    if (webhookId === undefined) violations.push({ kind: "missing-header", event, part: "webhook header", pointer: `/${webhookIdHeader}`, expected: "the webhook's id", found: "nothing" });
    else if (id !== undefined && webhookId !== id) violations.push({ kind: "schema", event, part: "webhook header", pointer: `/${webhookIdHeader}`, expected: `the body's id ${shortJson(id)}`, found: shortJson(webhookId) });
    if (event === undefined) violations.push({ kind: "missing-property", part: "webhook body", pointer: "/event", expected: "the event's name", found: "nothing" });
    else violations.push(...this.payloadProblems(event, fields));
    return { id, event, violations };
  }
}

function sameHex(a: string, b: string): boolean {
  const left = Buffer.from(a, "utf8");
  const right = Buffer.from(b, "utf8");
  return left.length === right.length && timingSafeEqual(left, right);
}

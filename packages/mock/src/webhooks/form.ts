/**
 * A webhook's body as the API writes it: `application/x-www-form-urlencoded`, the payload's nested
 * values as bracket-notation keys (`payload[subscription][customer][email]`), every value a string,
 * `null` as an empty string, and timestamps in the site's zone, `2026-12-02 09:25:13 -0500`.
 */
import { hash } from "node:crypto";
import { webhookSignature } from "@billing-api/conformance";
import { siteOffsetMinutes } from "../stateful/site.js";

const isoDateTime = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/;

/** The site's zone as a timestamp ends with it: `-0500`. */
const zone = `${siteOffsetMinutes < 0 ? "-" : "+"}${String(Math.floor(Math.abs(siteOffsetMinutes) / 60)).padStart(2, "0")}${String(Math.abs(siteOffsetMinutes) % 60).padStart(2, "0")}`;

/**
 * Recent conversions: a record's timestamps come back in every webhook about it (a subscription's
 * `created_at`, its period's ends), and parsing a date is most of the cost of one.
 */
const siteTimes = new Map<string, string>();
const siteTimesKept = 1_000;

/** An ISO date-time as a webhook writes it: `2026-12-02 09:25:13 -0500`. */
export function siteTime(value: string): string {
  let written = siteTimes.get(value);
  if (written === undefined) {
    const shifted = new Date(Date.parse(value) + siteOffsetMinutes * 60_000).toISOString();
    written = `${shifted.slice(0, 10)} ${shifted.slice(11, 19)} ${zone}`;
    if (siteTimes.size >= siteTimesKept) siteTimes.clear();
    siteTimes.set(value, written);
  }
  return written;
}

/** A value as a form field: text for scalars, `""` for null, undefined for what a field cannot hold. */
export function formValue(value: unknown): string | undefined {
  if (value === null) return "";
  // Only text shaped like `2026-12-02T...` is tried as a date-time (most values are not).
  if (typeof value === "string") return value.length >= 16 && value.charCodeAt(10) === 84 /* T */ && isoDateTime.test(value) ? siteTime(value) : value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return undefined;
}

/** `payload[subscription][id]` -> ["payload", "subscription", "id"]. */
export function keyPath(key: string): string[] {
  const head = key.indexOf("[");
  if (head === -1) return [key];
  return [key.slice(0, head), ...[...key.slice(head).matchAll(/\[([^\]]*)\]/g)].map((match) => match[1]!)];
}

/** Percent-encoded as the API sends it: brackets left as they are, spaces as `%20`. */
const encode = (text: string) => {
  const encoded = encodeURIComponent(text);
  return encoded.includes("%5") ? encoded.replace(/%5B/g, "[").replace(/%5D/g, "]") : encoded;
};
/** What encodeURIComponent leaves as it is, and the brackets: text made of these is its own encoding. */
const unreserved = /^[A-Za-z0-9\-_.!~*'()[\]]*$/;
/** The keys are the spec's few hundred: each encoded once. */
const encodedKeys = new Map<string, string>();

export function encodeForm(fields: [string, string][]): string {
  let body = "";
  for (const [key, value] of fields) {
    let encodedKey = encodedKeys.get(key);
    if (encodedKey === undefined) encodedKeys.set(key, (encodedKey = encode(key)));
    body += `${body === "" ? "" : "&"}${encodedKey}=${unreserved.test(value) ? value : encode(value)}`;
  }
  return body;
}

/** The legacy `signature`: MD5 of the shared key followed by the body, hex. */
export function legacySignature(body: string, sharedKey: string): string {
  // One-shot: no Hash object per webhook.
  return hash("md5", sharedKey + body, "hex");
}

/**
 * A webhook's body and its two signatures: made once by the delivery thread to send it, and again
 * by the log when it is read, the same bytes both times.
 */
export function sealWebhook(fields: [string, string][], sharedKey: string): { body: string; signature: string; signatureHmacSha256: string } {
  const body = encodeForm(fields);
  return { body, signature: legacySignature(body, sharedKey), signatureHmacSha256: webhookSignature(body, sharedKey) };
}

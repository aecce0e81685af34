/**
 * HAR files (HTTP Archive 1.2), read and written. Reading never trusts the file: browsers, proxies
 * and hand edits leave out fields, store bodies as base64 or not at all, and record aborted calls
 * with status 0. Each entry becomes an exchange or a counted reason it could not be one.
 */
import { isObject, type Exchange } from "@billing-api/conformance";
import { credentialHeaders, redacted } from "./redact.js";
import type { Finding, Verifier } from "./verifier.js";

export interface HarExchange {
  url: URL;
  exchange: Omit<Exchange, "target">;
}

/** An entry that could not be read as an exchange, and why. */
export interface Unreadable {
  reason: string;
}

/** Thrown for a file that is not a HAR at all; the CLI exits 2 with its message. */
export class UnreadableInput extends Error {}


/** The entries of a HAR's text, or UnreadableInput when it is not JSON or has no `log.entries`. */
export function harEntries(text: string): unknown[] {
  let har: unknown;
  try {
    har = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    throw new UnreadableInput(`it is not JSON (${(error as Error).message})`);
  }
  const entries = isObject(har) && isObject(har.log) ? har.log.entries : undefined;
  if (!Array.isArray(entries)) throw new UnreadableInput("it has no log.entries list, so it is not a HAR");
  return entries;
}

function headersOf(list: unknown): Record<string, string> {
  const headers: Record<string, string> = {};
  if (!Array.isArray(list)) return headers;
  for (const header of list) {
    if (!isObject(header) || typeof header.name !== "string") continue;
    const name = header.name.toLowerCase();
    // HTTP/2 pseudo-headers (`:authority`) are not headers of the exchange.
    if (name.startsWith(":")) continue;
    const value = typeof header.value === "string" ? header.value : String(header.value ?? "");
    headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
  }
  return headers;
}

/** A body's bytes from HAR `text` (plain or base64); undefined when the HAR did not keep it. */
function bodyOf(text: unknown, encoding: unknown): Uint8Array | undefined {
  if (typeof text !== "string") return undefined;
  if (typeof encoding === "string" && encoding.toLowerCase() === "base64") return Buffer.from(text, "base64");
  return Buffer.from(text, "utf8");
}

/** One HAR entry as an exchange, or why it cannot be one. */
export function harExchange(entry: unknown): HarExchange | Unreadable {
  if (!isObject(entry) || !isObject(entry.request)) return { reason: "unreadable entry" };
  const { request, response } = entry;
  if (typeof request.method !== "string" || !/^[A-Za-z]+$/.test(request.method)) return { reason: "unreadable entry" };
  let url: URL;
  try {
    url = new URL(String(request.url));
  } catch {
    return { reason: "unreadable entry" };
  }
  if (!isObject(response) || typeof response.status !== "number" || !Number.isInteger(response.status) || response.status < 100 || response.status > 599) {
    // Browsers record blocked and aborted calls with status 0 and no response.
    return { reason: "no response recorded" };
  }
  const postData = isObject(request.postData) ? request.postData : undefined;
  const requestHeaders = headersOf(request.headers);
  if (postData && typeof postData.mimeType === "string" && postData.mimeType && !requestHeaders["content-type"]) {
    requestHeaders["content-type"] = postData.mimeType;
  }
  const content = isObject(response.content) ? response.content : {};
  const responseHeaders = headersOf(response.headers);
  // A browser that did not keep the body says so with `size` and no `text`: check all but the body.
  const kept = bodyOf(content.text, content.encoding);
  const responseBody = kept ?? (content.size === 0 ? new Uint8Array() : undefined);
  return {
    url,
    exchange: {
      method: request.method.toUpperCase(),
      requestHeaders,
      requestBody: bodyOf(postData?.text, postData?.encoding) ?? new Uint8Array(),
      status: response.status,
      responseHeaders,
      ...(responseBody ? { responseBody } : {}),
    },
  };
}

export interface RecordedCall {
  startedAt: Date;
  ms: number;
  method: string;
  url: string;
  requestHeaders: Record<string, string>;
  requestBody: Uint8Array;
  status: number;
  statusText: string;
  responseHeaders: Record<string, string>;
  responseBody: Uint8Array;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

function harHeaders(headers: Record<string, string>) {
  return Object.entries(headers).map(([name, value]) => ({ name, value: credentialHeaders.has(name.toLowerCase()) ? redacted : value }));
}

function harText(bytes: Uint8Array): { text: string; encoding?: "base64" } {
  try {
    return { text: utf8.decode(bytes) };
  } catch {
    return { text: Buffer.from(bytes).toString("base64"), encoding: "base64" };
  }
}

/** A HAR 1.2 entry for a proxied call, credential headers already redacted. */
export function harEntry(call: RecordedCall): Record<string, unknown> {
  const url = new URL(call.url);
  const requestBody = harText(call.requestBody);
  const responseBody = harText(call.responseBody);
  return {
    startedDateTime: call.startedAt.toISOString(),
    time: call.ms,
    request: {
      method: call.method,
      url: call.url,
      httpVersion: "HTTP/1.1",
      cookies: [],
      headers: harHeaders(call.requestHeaders),
      queryString: [...url.searchParams].map(([name, value]) => ({ name, value })),
      ...(call.requestBody.length > 0 ? { postData: { mimeType: call.requestHeaders["content-type"] ?? "", ...requestBody } } : {}),
      headersSize: -1,
      bodySize: call.requestBody.length,
    },
    response: {
      status: call.status,
      statusText: call.statusText,
      httpVersion: "HTTP/1.1",
      cookies: [],
      headers: harHeaders(call.responseHeaders),
      content: { size: call.responseBody.length, mimeType: call.responseHeaders["content-type"] ?? "", ...responseBody },
      redirectURL: "",
      headersSize: -1,
      bodySize: call.responseBody.length,
    },
    cache: {},
    timings: { send: 0, wait: call.ms, receive: 0 },
  };
}

/** A whole HAR document around `entries`. */
export function harDocument(entries: Record<string, unknown>[], version: string): string {
  return `${JSON.stringify({ log: { version: "1.2", creator: { name: "billing-verify", version }, entries } }, null, 1)}\n`;
}

/** Checks every entry of a HAR (see `harEntries`) with `verifier`; `onFindings` hears each one's violations. */
export function checkHar(entries: unknown[], verifier: Verifier, onFindings: (findings: Finding[]) => void = () => {}): void {
  for (const entry of entries) {
    const read = harExchange(entry);
    if ("reason" in read) verifier.skip(read.reason);
    else onFindings(verifier.add(read.url, read.exchange));
  }
}

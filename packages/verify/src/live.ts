/**
 * A read-only walk of a running API: every list first, then the reads of the ids the lists
 * returned, then every other GET whose parameters earlier answers can fill (a customer's
 * `reference` for the lookup by reference, a coupon's `code` for find and validate). It only ever
 * sends GET, so it cannot change the site; still, point it at a test site.
 */
import type { Verifier } from "./verifier.js";

export interface LiveOptions {
  baseUrl: URL;
  apiKey: string;
  verifier: Verifier;
  /** Defaults to the global fetch. */
  fetch?: typeof fetch;
  /** Called after each call with a line for the log. */
  onCall?: (line: string) => void;
  /** Stops the walk (Ctrl-C): no call is sent after it, and the one under way is dropped, not failed. */
  signal?: AbortSignal;
}

export interface LiveResult {
  /**
   * GET operations whose path parameter no answer gave (a Chargify.js one-time token), called with the
   * spec's example value instead: a real site then answers its documented 404, which is checked too.
   */
  fromExamples: { operationId: string; params: string[] }[];
  /** GET operations the walk could not fill from earlier answers, with the parameters it lacked. */
  notReached: { operationId: string; missing: string[] }[];
  /** Calls that got no answer (network errors). */
  failures: number;
}

/** `subscriptions` -> `subscription`, `subscription_groups` -> `subscription_group`. */
const singular = (word: string) => word.replace(/ies$/, "y").replace(/s$/, "");

/** Values seen in answers, by name: `customer_id`, `customer_reference`, `coupon_code`, `reference`... */
class Harvest {
  private readonly values = new Map<string, string>();

  add(body: unknown, key = ""): void {
    if (Array.isArray(body)) return body.forEach((item) => this.add(item, key));
    if (typeof body !== "object" || body === null) return;
    const owner = singular(key);
    for (const [name, value] of Object.entries(body)) {
      if (typeof value === "string" || typeof value === "number") {
        const text = String(value);
        if (text === "") continue;
        if (!this.values.has(name)) this.values.set(name, text);
        if (owner && !this.values.has(`${owner}_${name}`)) this.values.set(`${owner}_${name}`, text);
      } else {
        this.add(value, name);
      }
    }
  }

  /**
   * A value for parameter `name` of an operation on `resource` (the path segment it belongs to):
   * `{id}` of `/customers/{id}.json` is a customer's `id`, `reference` of `/customers/lookup.json` a
   * customer's `reference`, `configuration_id` the `id` of a portal configuration.
   */
  find(name: string, resource: string): string | undefined {
    const owner = singular(resource);
    const candidates = [`${owner}_${name}`, name];
    for (const candidate of candidates) {
      const value = this.values.get(candidate);
      if (value !== undefined) return value;
    }
    const suffix = `_${name}`;
    for (const [key, value] of this.values) if (key.endsWith(suffix)) return value;
    return undefined;
  }
}

interface GetOperation {
  operationId: string;
  path: string;
  /** Path parameters, each with the resource segment before it and the spec's example. */
  pathParams: { name: string; resource: string; example?: string }[];
  /** Required query parameters. */
  query: string[];
}

function getOperations(document: Record<string, unknown>): GetOperation[] {
  const paths = (document.paths ?? {}) as Record<string, Record<string, { operationId?: string; parameters?: unknown[] }>>;
  const components = ((document.components as Record<string, unknown> | undefined)?.parameters ?? {}) as Record<string, unknown>;
  const deref = (param: unknown) => {
    const ref = (param as { $ref?: string }).$ref;
    return (ref ? components[ref.split("/").pop()!] : param) as { name: string; in: string; required?: boolean; example?: unknown };
  };
  return Object.entries(paths).flatMap(([path, item]) => {
    const get = item.get;
    if (!get?.operationId) return [];
    const params = [...((item as { parameters?: unknown[] }).parameters ?? []), ...(get.parameters ?? [])].map(deref);
    const segments = path.split("/").filter(Boolean);
    const pathParams = [...path.matchAll(/\{([^}]+)\}/g)].map(([whole, name]) => {
      const at = segments.findIndex((segment) => segment.includes(whole));
      const example = params.find((p) => p.in === "path" && p.name === name)?.example;
      return { name: name!, resource: segments[at - 1] ?? segments[0] ?? "", ...(example === undefined ? {} : { example: String(example) }) };
    });
    const query = params.filter((p) => p.in === "query" && p.required).map((p) => p.name);
    return [{ operationId: get.operationId, path, pathParams, query }];
  });
}

export async function walkLive(options: LiveOptions): Promise<LiveResult> {
  const { baseUrl, apiKey, verifier, onCall, signal } = options;
  const send = options.fetch ?? fetch;
  verifier.redactor.add(apiKey);
  const authorization = `Basic ${Buffer.from(`${apiKey}:x`).toString("base64")}`;
  verifier.redactor.add(authorization.slice("Basic ".length));
  const harvest = new Harvest();
  const base = baseUrl.href.replace(/\/$/, "");
  let failures = 0;

  const call = async (target: string) => {
    if (signal?.aborted) return;
    const url = new URL(base + target);
    const requestHeaders = { accept: "application/json", authorization };
    let response: Response;
    let body: Uint8Array;
    try {
      const timeout = AbortSignal.timeout(30_000);
      response = await send(url, { method: "GET", headers: requestHeaders, signal: signal ? AbortSignal.any([timeout, signal]) : timeout });
      body = new Uint8Array(await response.arrayBuffer());
    } catch (error) {
      if (signal?.aborted) return;
      failures++;
      onCall?.(verifier.redactor.redact(`GET ${url.href} failed: ${(error as Error).message}`));
      return;
    }
    const responseHeaders: Record<string, string> = {};
    response.headers.forEach((value, name) => (responseHeaders[name] = value));
    const findings = verifier.add(url, { method: "GET", requestHeaders, status: response.status, responseHeaders, responseBody: body });
    onCall?.(verifier.redactor.redact(`GET ${url.href} -> ${response.status}${findings.length ? ` (${findings.length} violation${findings.length === 1 ? "" : "s"})` : ""}`));
    if (response.ok && responseHeaders["content-type"]?.includes("json")) {
      try {
        harvest.add(JSON.parse(new TextDecoder().decode(body)));
      } catch {
        // Already reported as a malformed body; there is nothing to harvest.
      }
    }
  };

  const operations = getOperations(verifier.check.document);
  // Lists and other calls that need nothing first, then rounds of whatever the answers can fill.
  let pending = operations;
  const fill = (operation: GetOperation, useExamples = false) => {
    const missing: string[] = [];
    const examples: string[] = [];
    let path = operation.path;
    for (const { name, resource, example } of operation.pathParams) {
      let value = harvest.find(name, resource);
      if (value === undefined && useExamples && example !== undefined) {
        value = example;
        examples.push(name);
      }
      if (value === undefined) missing.push(name);
      else path = path.replace(`{${name}}`, encodeURIComponent(value));
    }
    const search = new URLSearchParams();
    const resource = operation.path.split("/").filter(Boolean)[0] ?? "";
    for (const name of operation.query) {
      const value = harvest.find(name, resource);
      if (value === undefined) missing.push(name);
      else search.set(name, value);
    }
    return { missing, examples, target: search.size ? `${path}?${search}` : path };
  };
  while (pending.length > 0 && !signal?.aborted) {
    const ready = pending.filter((operation) => fill(operation).missing.length === 0);
    if (ready.length === 0) break;
    for (const operation of ready) await call(fill(operation).target);
    pending = pending.filter((operation) => !ready.includes(operation));
  }
  // Last, what only the spec's examples can fill.
  const fromExamples: LiveResult["fromExamples"] = [];
  for (const operation of pending.filter((operation) => fill(operation, true).missing.length === 0)) {
    if (signal?.aborted) break;
    const { target, examples } = fill(operation, true);
    fromExamples.push({ operationId: operation.operationId, params: examples });
    await call(target);
  }
  pending = pending.filter((operation) => !fromExamples.some((done) => done.operationId === operation.operationId));
  return { notReached: pending.map((operation) => ({ operationId: operation.operationId, missing: fill(operation, true).missing })), fromExamples, failures };
}

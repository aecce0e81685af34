/**
 * Whether one recorded HTTP exchange conforms to the spec: the request routed to its operation the
 * way the mock routes it (`routes.ts`, `.json` paths, Rails-style `include[]`), its parameters
 * checked by Prism's validator as the mock checks them, its body, the status against the
 * operation's documented ones, the response's media type and its body against the schema for that
 * status (`schema-check.ts`, full JSON Schema 2020-12). The verifier (`@billing-api/verify`) is this
 * plus its inputs, the mock this plus a responder; nothing here does I/O but loading the document.
 */
import { readFile } from "node:fs/promises";
import { MIMEType } from "node:util";
import { openapiJsonPath } from "@billing-api/spec";
import type { IHttpRequest } from "@stoplight/prism-http";
import type { IHttpOperation } from "@stoplight/types";
import { escapeSegment } from "./json.js";
import { loadOperations, validateRequest } from "./prism.js";
import { queryValues, wireProblems } from "./wire.js";
import { expandTemplate, Router } from "./routes.js";
import { ruleInWords, SchemaCheck, shortJson, type ProblemKind } from "./schema-check.js";

/** One request and its response, as recorded (a HAR entry, a proxied call, a live call). */
export interface Exchange {
  method: string;
  /** The request target: the path and query as sent, such as `/customers.json?page=2`. */
  target: string;
  /** Header names in lower case. */
  requestHeaders: Record<string, string>;
  requestBody?: Uint8Array | string;
  status: number;
  responseHeaders: Record<string, string>;
  /** The response body; `undefined` when it was not recorded (its checks are then skipped). */
  responseBody?: Uint8Array | string;
}

export type ViolationKind =
  | ProblemKind
  | "undocumented-path"
  | "undocumented-method"
  | "undocumented-status"
  | "content-type"
  | "missing-body"
  | "unexpected-body"
  | "malformed-body"
  | "parameter";

/** Where in the exchange a violation is. */
export type ExchangePart =
  | "request path"
  | "request method"
  | "request query"
  | "request header"
  | "request body"
  | "response status"
  | "response header"
  | "response body";

export interface ConformanceViolation {
  kind: ViolationKind;
  /** The operation the request matched; absent for an undocumented path or method. */
  operationId?: string;
  part: ExchangePart;
  /** JSON pointer inside `part` (`/payment_profile/customer_id`); `""` for the whole of it. */
  pointer: string;
  /** What the spec wants there, in words. */
  expected: string;
  /** What the exchange had there: short JSON, or `nothing`. */
  found: string;
}

export interface Verdict {
  /** The matched operation; absent when the request matched none. */
  operationId?: string;
  /** Why the exchange was not checked (a CORS preflight), if it was not. */
  skipped?: string;
  violations: ConformanceViolation[];
}

/**
 * One sentence for a violation: `response body /customer/email: expected string, found null`, or,
 * where the spec's rule is itself a sentence, `request query /page: must be 1 or more, found "0"`.
 */
export function describeConformance(violation: ConformanceViolation): string {
  const where = violation.pointer ? `${violation.part} ${violation.pointer}` : violation.part;
  const wanted = violation.expected.startsWith("must ") ? violation.expected : `expected ${violation.expected}`;
  return `${where}: ${wanted}, found ${violation.found} (${violation.kind})`;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });
const isJson = (essence: string) => essence === "application/json" || essence.endsWith("+json");

function essenceOf(contentType: string | undefined): string | undefined {
  if (contentType === undefined || contentType.trim() === "") return undefined;
  try {
    return new MIMEType(contentType).essence;
  } catch {
    return contentType.trim().toLowerCase();
  }
}

function bytesOf(body: Uint8Array | string | undefined): Uint8Array {
  if (body === undefined) return new Uint8Array();
  return typeof body === "string" ? new TextEncoder().encode(body) : body;
}

/** The documented media type a received one falls under (`application/json`, or a wildcard's). */
function documentedMediaType(documented: string[], received: string): string | undefined {
  return documented.find((candidate) => {
    const wanted = essenceOf(candidate) ?? candidate;
    if (wanted === received || wanted === "*/*") return true;
    return wanted.endsWith("/*") && received.startsWith(wanted.slice(0, -1));
  });
}

/** `200`, else `2XX`, else `default`: the response object that documents a status. */
function documentedStatus(responses: Record<string, unknown>, status: number): string | undefined {
  const code = String(status);
  if (code in responses) return code;
  const range = `${code[0]}XX`;
  return Object.keys(responses).find((key) => key.toUpperCase() === range) ?? ("default" in responses ? "default" : undefined);
}

type RawOperation = { requestBody?: unknown; responses?: Record<string, unknown> };

export class ConformanceCheck {
  private readonly router: Router;
  private readonly schemas: SchemaCheck;

  constructor(
    operations: IHttpOperation[],
    /** The OpenAPI document, as parsed JSON. */
    readonly document: Record<string, unknown>,
  ) {
    this.router = new Router(operations);
    this.schemas = new SchemaCheck(document);
  }

  /** The checker for an OpenAPI document; by default the bundled Billing API. */
  static async load(documentPath: string = openapiJsonPath): Promise<ConformanceCheck> {
    const [operations, text] = await Promise.all([loadOperations(documentPath), readFile(documentPath, "utf8")]);
    return new ConformanceCheck(operations, JSON.parse(text) as Record<string, unknown>);
  }

  /** Every documented operation: its operationId, method (upper case) and path template. */
  get operations(): { operationId: string; method: string; path: string }[] {
    return this.router.operations.map((operation) => ({
      operationId: operation.iid ?? operation.id,
      method: operation.method.toUpperCase(),
      path: operation.path,
    }));
  }

  check(exchange: Exchange): Verdict {
    const method = exchange.method.toUpperCase();
    if (method === "OPTIONS") return { skipped: "CORS preflight (OPTIONS)", violations: [] };
    const queryStart = exchange.target.indexOf("?");
    const path = queryStart === -1 ? exchange.target : exchange.target.slice(0, queryStart);
    const search = queryStart === -1 ? "" : exchange.target.slice(queryStart + 1);

    const route = this.router.route(method, path);
    if (route.kind === "not-found" || route.kind === "bad-path") {
      const hint = route.kind === "not-found" && route.suggestion ? ` (did you mean ${route.suggestion}?)` : "";
      return { violations: [{ kind: "undocumented-path", part: "request path", pointer: "", expected: `a path the spec documents${hint}`, found: shortJson(path) }] };
    }
    if (route.kind === "method-not-allowed") {
      return { violations: [{ kind: "undocumented-method", part: "request method", pointer: "", expected: `one of ${route.allowed.join(", ")} on ${path}`, found: method }] };
    }
    const { operation, pathParams } = route;
    const operationId = operation.iid ?? operation.id;
    const raw = this.rawOperation(operation);
    const violations = [
      ...this.requestViolations(operation, raw, pathParams, search, exchange),
      ...this.responseViolations(operation, raw, exchange, method),
    ].map((violation) => ({ operationId, ...violation }));
    return { operationId, violations };
  }

  /**
   * Where an answer to `operation` breaks what it documents: its status, its media type and its body
   * against the schema for that status. The mock checks its own answers with this before sending
   * them, so the mock and the verifier hold answers to one standard.
   */
  responseProblems(operation: IHttpOperation, status: number, contentType: string | undefined, body: string | undefined): ConformanceViolation[] {
    const method = operation.method.toUpperCase();
    const exchange: Exchange = {
      method,
      target: operation.path,
      requestHeaders: {},
      status,
      responseHeaders: contentType === undefined ? {} : { "content-type": contentType },
      responseBody: body ?? "",
    };
    return this.responseViolations(operation, this.rawOperation(operation), exchange, method);
  }

  private rawOperation(operation: IHttpOperation): { pointer: string; node: RawOperation } {
    const pointer = `/paths/${escapeSegment(operation.path)}/${operation.method.toLowerCase()}`;
    return { pointer, node: (this.schemas.resolve(pointer) ?? {}) as RawOperation };
  }

  /** Follows a `$ref` (a shared response or request body) to the pointer of what it names. */
  private follow(pointer: string): string {
    const node = this.schemas.resolve(pointer) as { $ref?: unknown } | undefined;
    return typeof node?.$ref === "string" && node.$ref.startsWith("#") ? this.follow(node.$ref.slice(1)) : pointer;
  }

  private requestViolations(
    operation: IHttpOperation,
    raw: { pointer: string; node: RawOperation },
    pathParams: Record<string, string>,
    search: string,
    exchange: Exchange,
  ): ConformanceViolation[] {
    const found: ConformanceViolation[] = [];
    let query: Record<string, string | string[]>;
    try {
      query = queryValues(search);
    } catch {
      query = {};
    }
    // Parameters as the mock checks them: Prism's validator, and what it lets through that the
    // API refuses (`wireProblems`: integers that are not whole 64-bit numbers, empty values).
    const body = this.jsonBody(exchange);
    const problems = wireProblems(operation, pathParams, query, body);
    for (const problem of problems) {
      const part: ExchangePart = problem.location === "path" ? "request path" : problem.location === "query" ? "request query" : "request body";
      const pointer = problem.location === "body" ? (problem.name ? `/${problem.name.split(".").map(escapeSegment).join("/")}` : "") : `/${escapeSegment(problem.name)}`;
      const inBody = () => (problem.name ? problem.name.split(".") : []).reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], body);
      const value = problem.location === "path" ? pathParams[problem.name] : problem.location === "query" ? query[problem.name] : inBody();
      found.push({ kind: "parameter", part, pointer, expected: ruleInWords(problem.message), found: shortJson(value) });
    }
    const flagged = new Set(problems.filter((p) => p.location !== "body").map((p) => `${p.location}.${p.name}`));
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(exchange.requestHeaders)) {
      if (!["content-type", "content-length", "transfer-encoding", "accept"].includes(name)) headers[name] = value;
    }
    const request: IHttpRequest = {
      method: operation.method as IHttpRequest["method"],
      url: { path: expandTemplate(operation.path, pathParams), query },
      headers,
    };
    for (const diagnostic of validateRequest(operation, request)) {
      const [location, ...inside] = (diagnostic.path ?? []).map(String);
      if (diagnostic.severity !== 0 || location === "body" || diagnostic.message === "Body parameter is required") continue;
      if (location !== undefined && flagged.has(`${location}.${inside[0]}`)) continue;
      // "must have required property 'code'" for a parameter sent empty: already said above.
      const missing = /must have required property '([^']+)'/.exec(diagnostic.message)?.[1];
      if (location === "query" && missing !== undefined && flagged.has(`query.${missing}`)) continue;
      const part: ExchangePart = location === "path" ? "request path" : location === "header" ? "request header" : "request query";
      found.push({ kind: "parameter", part, pointer: inside.length ? `/${inside.map(escapeSegment).join("/")}` : "", expected: ruleInWords(diagnostic.message), found: shortJson(inside[0] === undefined ? undefined : (location === "path" ? pathParams : query)[inside[0]]) });
    }
    found.push(...this.requestBodyViolations(raw, exchange));
    return found;
  }

  /** The request body as JSON, when it is JSON; `undefined` otherwise (its problems are reported elsewhere). */
  private jsonBody(exchange: Exchange): unknown {
    const bytes = bytesOf(exchange.requestBody);
    const type = essenceOf(exchange.requestHeaders["content-type"]);
    if (bytes.length === 0 || (type !== undefined && !isJson(type))) return undefined;
    try {
      return JSON.parse(utf8.decode(bytes));
    } catch {
      return undefined;
    }
  }

  private requestBodyViolations(raw: { pointer: string; node: RawOperation }, exchange: Exchange): ConformanceViolation[] {
    const bytes = bytesOf(exchange.requestBody);
    const bodyPointer = raw.node.requestBody === undefined ? undefined : this.follow(`${raw.pointer}/requestBody`);
    const spec = bodyPointer === undefined ? undefined : (this.schemas.resolve(bodyPointer) as { required?: boolean; content?: Record<string, unknown> });
    if (bytes.length === 0) {
      return spec?.required ? [{ kind: "missing-body", part: "request body", pointer: "", expected: `a body (${Object.keys(spec.content ?? {}).join(", ")})`, found: "nothing" }] : [];
    }
    if (!spec) return [{ kind: "unexpected-body", part: "request body", pointer: "", expected: "no body (the operation takes none)", found: `${bytes.length} bytes` }];
    return this.bodyViolations("request body", `${bodyPointer}/content`, Object.keys(spec.content ?? {}), exchange.requestHeaders["content-type"], bytes);
  }

  private responseViolations(operation: IHttpOperation, raw: { pointer: string; node: RawOperation }, exchange: Exchange, method: string): ConformanceViolation[] {
    const responses = raw.node.responses ?? {};
    const code = documentedStatus(responses, exchange.status);
    if (code === undefined) {
      return [{ kind: "undocumented-status", part: "response status", pointer: "", expected: `one of ${Object.keys(responses).join(", ")}`, found: String(exchange.status) }];
    }
    const responsePointer = this.follow(`${raw.pointer}/responses/${escapeSegment(code)}`);
    const content = ((this.schemas.resolve(responsePointer) as { content?: Record<string, unknown> } | undefined)?.content) ?? {};
    const documented = Object.keys(content);
    // A HEAD has no body, and a HAR may not have kept one: the status is all there is to check.
    if (method === "HEAD" || exchange.responseBody === undefined) return [];
    const bytes = bytesOf(exchange.responseBody);
    if (bytes.length === 0) {
      return documented.length === 0 ? [] : [{ kind: "missing-body", part: "response body", pointer: "", expected: `a body (${documented.join(", ")})`, found: "nothing" }];
    }
    if (documented.length === 0) {
      return [{ kind: "unexpected-body", part: "response body", pointer: "", expected: `no body (${operation.iid} documents none for ${code})`, found: `${bytes.length} bytes` }];
    }
    return this.bodyViolations("response body", `${responsePointer}/content`, documented, exchange.responseHeaders["content-type"], bytes);
  }

  /** The media type, then the body against the schema documented for it. */
  private bodyViolations(part: "request body" | "response body", contentPointer: string, documented: string[], contentType: string | undefined, bytes: Uint8Array): ConformanceViolation[] {
    const header: ExchangePart = part === "request body" ? "request header" : "response header";
    const received = essenceOf(contentType);
    const mediaType = received === undefined ? undefined : documentedMediaType(documented, received);
    if (mediaType === undefined) {
      return [{ kind: "content-type", part: header, pointer: "/content-type", expected: `one of ${documented.join(", ")}`, found: received === undefined ? "nothing" : shortJson(contentType) }];
    }
    const schemaPointer = `${contentPointer}/${escapeSegment(mediaType)}/schema`;
    if (this.schemas.resolve(schemaPointer) === undefined) return [];
    let text: string;
    try {
      text = utf8.decode(bytes);
    } catch {
      return [{ kind: "malformed-body", part, pointer: "", expected: "UTF-8 text", found: `${bytes.length} bytes that are not UTF-8` }];
    }
    let value: unknown = text;
    if (isJson(received!)) {
      try {
        value = JSON.parse(text);
      } catch (error) {
        return [{ kind: "malformed-body", part, pointer: "", expected: "JSON", found: `${shortJson(text)} (${(error as Error).message})` }];
      }
    }
    return this.schemas.check(schemaPointer, value).map((problem) => ({
      kind: problem.kind,
      part,
      pointer: problem.pointer,
      expected: problem.expected,
      found: problem.found,
    }));
  }
}

/**
 * Whether one recorded HTTP exchange conforms to the spec: the request routed to its operation the
 * way the mock routes it (`routes.ts`, `.json` paths, Rails-style `include[]`), its parameters and
 * body judged as the mock judges them (`request-check.ts`), the status against the
 * operation's documented ones, the response's media type and its body against the schema for that
 * status (`schema-check.ts`, full JSON Schema 2020-12). The verifier (`@billing-api/verify`) is this
 * plus its inputs, the mock this plus a responder; nothing here does I/O but loading the document.
 */
import { readFile } from "node:fs/promises";
import { MIMEType } from "node:util";
import { openapiJsonPath } from "@billing-api/spec";
import { escapeSegment } from "./json.js";
import { documentOperations, type DocumentOperation } from "./operations.js";
import { RequestCheck, type RequestParts, type RequestProblem } from "./request-check.js";
import { Router } from "./routes.js";
import { ruleInWords, SchemaCheck, shortJson, wanted, type ProblemKind } from "./schema-check.js";
import { WebhookCheck } from "./webhook-check.js";

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
  return `${where}: ${wanted(violation.expected)}, found ${violation.found} (${violation.kind})`;
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

/** The checks `ConformanceCheck.parse` made, by the document's text, oldest first. */
const parsed = new Map<string, ConformanceCheck>();
const documentsKept = 4;

export class ConformanceCheck {
  /** Routes raw paths to the document's operations (its own reading, not Prism's). */
  readonly router: Router<DocumentOperation>;
  /**
   * The same document's `webhooks`, judged with this check's schemas: one Ajv set-up (and one set
   * of compiled validators) for a mock's answers and its webhooks, not two.
   */
  readonly webhooks: WebhookCheck;
  private readonly schemas: SchemaCheck;
  private readonly requests: RequestCheck;
  private readonly byId = new Map<string, DocumentOperation>();

  constructor(
    /** The OpenAPI document, as parsed JSON. */
    readonly document: Record<string, unknown>,
  ) {
    const operations = documentOperations(document);
    for (const operation of operations) this.byId.set(operation.operationId, operation);
    this.router = new Router(operations);
    this.schemas = new SchemaCheck(document);
    this.requests = new RequestCheck(this.schemas);
    this.webhooks = new WebhookCheck(document, this.schemas);
  }

  /** The checker for an OpenAPI document; by default the bundled Billing API (see `parse`). */
  static async load(documentPath: string = openapiJsonPath): Promise<ConformanceCheck> {
    return ConformanceCheck.parse(await readFile(documentPath, "utf8"));
  }

  /**
   * The checker for an OpenAPI document's JSON text. The same text gives the same checker, with the
   * validators it has compiled (the last few documents are kept): a mock and a verifier in one
   * process, or mocks started one after another, judge with one. A check is never changed by
   * judging, so sharing it carries nothing from one user to another.
   */
  static parse(text: string): ConformanceCheck {
    let check = parsed.get(text);
    if (!check) {
      check = new ConformanceCheck(JSON.parse(text) as Record<string, unknown>);
      parsed.set(text, check);
      if (parsed.size > documentsKept) parsed.delete(parsed.keys().next().value!);
    }
    return check;
  }

  /** Every documented operation: its operationId, method (upper case) and path template. */
  get operations(): { operationId: string; method: string; path: string }[] {
    return this.router.operations.map((operation) => ({ operationId: operation.operationId, method: operation.method.toUpperCase(), path: operation.path }));
  }

  /**
   * What is wrong with a routed request to `operationId`, once each and in the API's words: the
   * mock refuses with exactly these, and `check` reports them as violations.
   */
  judgeRequest(operationId: string, parts: RequestParts): RequestProblem[] {
    return this.requests.judge(this.operation(operationId), parts);
  }

  private operation(operationId: string): DocumentOperation {
    const operation = this.byId.get(operationId);
    if (!operation) throw new Error(`The document has no operation ${operationId}.`);
    return operation;
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
    const { operationId } = operation;
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
  responseProblems(operationId: string, status: number, contentType: string | undefined, body: string | undefined): ConformanceViolation[] {
    const operation = this.operation(operationId);
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

  private rawOperation(operation: DocumentOperation): { pointer: string; node: RawOperation } {
    return { pointer: operation.pointer, node: (this.schemas.resolve(operation.pointer) ?? {}) as RawOperation };
  }

  /** Follows a `$ref` (a shared response or request body) to the pointer of what it names. */
  private follow(pointer: string): string {
    const node = this.schemas.resolve(pointer) as { $ref?: unknown } | undefined;
    return typeof node?.$ref === "string" && node.$ref.startsWith("#") ? this.follow(node.$ref.slice(1)) : pointer;
  }

  private requestViolations(operation: DocumentOperation, raw: { pointer: string; node: RawOperation }, pathParams: Record<string, string>, search: string, exchange: Exchange): ConformanceViolation[] {
    const envelope = this.requestBodyEnvelope(raw, exchange);
    const bodyText = envelope.text;
    const problems = this.requests.judge(operation, { pathParams, search, headers: exchange.requestHeaders, ...(bodyText !== undefined ? { bodyText } : {}) });
    // A body that could not be read is one problem (its media type, its syntax), not also a missing one.
    const read = envelope.violations.length === 0 ? problems : problems.filter((problem) => problem.kind !== "missing-body");
    return [
      ...envelope.violations,
      ...read.map((problem): ConformanceViolation => {
        const part: ExchangePart = problem.location === "path" ? "request path" : problem.location === "query" ? "request query" : problem.location === "header" ? "request header" : "request body";
        const pointer = problem.field.map((key) => `/${escapeSegment(key)}`).join("");
        const kind: ViolationKind = problem.location === "body" ? problem.kind : "parameter";
        // A parameter's finding says the judge's sentence: it is what the mock answers.
        const expected = problem.location === "body" ? problem.expected : ruleInWords(problem.message);
        return { kind, part, pointer, expected, found: problem.found };
      }),
    ];
  }

  /** The request body's media type and syntax; its text, when it is JSON to judge. */
  private requestBodyEnvelope(raw: { pointer: string; node: RawOperation }, exchange: Exchange): { text?: string; violations: ConformanceViolation[] } {
    const bytes = bytesOf(exchange.requestBody);
    if (bytes.length === 0) return { violations: [] };
    if (raw.node.requestBody === undefined) {
      return { violations: [{ kind: "unexpected-body", part: "request body", pointer: "", expected: "no body (the operation takes none)", found: `${bytes.length} bytes` }] };
    }
    const bodyPointer = this.follow(`${raw.pointer}/requestBody`);
    const documented = Object.keys((this.schemas.resolve(bodyPointer) as { content?: Record<string, unknown> } | undefined)?.content ?? {});
    const contentType = exchange.requestHeaders["content-type"];
    const received = essenceOf(contentType);
    const mediaType = received === undefined ? undefined : documentedMediaType(documented, received);
    if (mediaType === undefined) {
      return { violations: [{ kind: "content-type", part: "request header", pointer: "/content-type", expected: `one of ${documented.join(", ")}`, found: received === undefined ? "nothing" : shortJson(contentType) }] };
    }
    let text: string;
    try {
      text = utf8.decode(bytes);
    } catch {
      return { violations: [{ kind: "malformed-body", part: "request body", pointer: "", expected: "UTF-8 text", found: `${bytes.length} bytes that are not UTF-8` }] };
    }
    if (!isJson(received!)) return { violations: [] };
    try {
      JSON.parse(text);
    } catch (error) {
      return { violations: [{ kind: "malformed-body", part: "request body", pointer: "", expected: "JSON", found: `${shortJson(text)} (${(error as Error).message})` }] };
    }
    return { text, violations: [] };
  }

  private responseViolations(operation: DocumentOperation, raw: { pointer: string; node: RawOperation }, exchange: Exchange, method: string): ConformanceViolation[] {
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
      return [{ kind: "unexpected-body", part: "response body", pointer: "", expected: `no body (${operation.operationId} documents none for ${code})`, found: `${bytes.length} bytes` }];
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

/**
 * Reads the parts of an HTTP request that Prism trusts blindly (body, Content-Type, credentials,
 * `Prefer`, query values) and turns every malformed one into a refusal value instead of a throw, so
 * no request can reach Prism in a shape that crashes it or makes it answer a 5xx.
 */
import type { IncomingMessage } from "node:http";
import { MIMEType } from "node:util";
import type { IHttpOperation, IHttpParam } from "@stoplight/types";

/** A request the mock refuses before Prism sees it: a status and the messages for `{"errors": [...]}`. */
export class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly messages: string[],
    readonly headers: Record<string, string> = {},
  ) {
    super(messages.join(" "));
  }
}

/** Bodies larger than this are refused with 413; the API's own requests are a few kilobytes. */
export const maxBodyBytes = 1024 * 1024;

/**
 * The whole body, or a 413 Refusal once it passes `maxBodyBytes`. Rejects if the client aborts.
 * Read with events: `for await` would destroy the request, and with it the keep-alive socket.
 */
export function readBody(req: IncomingMessage): Promise<Buffer> {
  const declared = Number(req.headers["content-length"]);
  if (declared > maxBodyBytes) {
    return Promise.reject(new Refusal(413, [`The request body is ${declared} bytes; the mock takes at most ${maxBodyBytes}.`]));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBodyBytes) return void chunks.push(chunk);
      req.off("data", onData);
      req.resume();
      reject(new Refusal(413, [`The request body is larger than ${maxBodyBytes} bytes, the most the mock takes.`]));
    };
    req.on("data", onData);
    req.once("end", () => resolve(Buffer.concat(chunks)));
    req.once("error", reject);
    req.once("close", () => {
      if (!req.complete) reject(new Error("The client closed the connection before the body arrived."));
    });
  });
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * The JSON body of a request whose operation takes one, or `undefined` when it was sent empty.
 * Refuses a body that is not UTF-8, not JSON, or sent with a media type other than JSON.
 */
export function parseJsonBody(bytes: Buffer, contentType: string | undefined): unknown {
  if (bytes.length === 0) return undefined;
  if (contentType !== undefined) {
    let mime: MIMEType;
    try {
      mime = new MIMEType(contentType);
    } catch {
      throw new Refusal(400, [`The Content-Type header ${JSON.stringify(contentType)} is not a media type.`]);
    }
    if (mime.essence !== "application/json" && !mime.subtype.endsWith("+json")) {
      // 400, the status the API documents for a body it cannot read (Rails answers a body it cannot
      // parse with 400 too); a 415 would be a status no operation documents.
      throw new Refusal(400, [`The request body must be application/json; Content-Type was ${mime.essence}.`]);
    }
  }
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new Refusal(400, ["The request body is not valid UTF-8."]);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Refusal(400, [`The request body is not valid JSON: ${(error as Error).message}.`]);
  }
}

/**
 * Whether the request carries HTTP Basic credentials with a non-empty username (the API key). Like
 * the real API, the password is not checked and may contain `:`; only the first `:` splits.
 */
export function hasApiKey(authorization: string | undefined): boolean {
  const encoded = /^Basic +([A-Za-z0-9+/]+={0,2}) *$/i.exec(authorization ?? "")?.[1];
  if (!encoded) return false;
  const decoded = Buffer.from(encoded, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  return colon > 0;
}

/** What `Prefer` asked for, checked against what the operation documents. */
export interface Preferences {
  code?: number;
  exampleKey?: string;
  dynamic?: boolean;
  seed?: string;
}

/**
 * Parses `Prefer: code=422, example=portalDisabled` (RFC 7240: unknown preferences are ignored) and
 * refuses a status or example the operation does not document, naming the ones it does.
 */
export function parsePrefer(header: string | string[] | undefined, operation: IHttpOperation): Preferences {
  if (header === undefined) return {};
  const values = new Map<string, string>();
  for (const item of (Array.isArray(header) ? header.join(",") : header).split(/[,;]/)) {
    const match = /^\s*([A-Za-z][\w-]*)\s*(?:=\s*(?:"([^"]*)"|([^\s"]*)))?\s*$/.exec(item);
    if (match) values.set(match[1]!.toLowerCase(), match[2] ?? match[3] ?? "");
  }
  const preferences: Preferences = {};
  const documented = operation.responses.map((response) => response.code);
  const name = operation.iid ?? operation.id;

  const code = values.get("code");
  if (code !== undefined) {
    if (!documented.includes(code)) {
      throw new Refusal(400, [
        `Prefer: code=${code} is not a documented status of ${name}; documented: ${documented.join(", ")}.`,
      ]);
    }
    preferences.code = Number(code);
  }

  const example = values.get("example");
  if (example !== undefined) {
    const status = code ?? documented.filter((c) => c.startsWith("2")).sort()[0] ?? documented[0]!;
    const keys = examplesOf(operation, status);
    if (!keys.includes(example)) {
      const owner = operation.responses.find((r) => r.contents?.some((c) => c.examples?.some((e) => e.key === example)));
      const hint = owner
        ? ` It is an example of ${owner.code}: send Prefer: code=${owner.code}, example=${example}.`
        : keys.length > 0
          ? ` Documented examples of ${status}: ${keys.join(", ")}.`
          : ` The ${status} response documents no examples.`;
      throw new Refusal(400, [`Prefer: example=${example} is not an example of ${name} ${status}.${hint}`]);
    }
    preferences.exampleKey = example;
  }

  const dynamic = values.get("dynamic");
  if (dynamic !== undefined) {
    if (dynamic !== "true" && dynamic !== "false") {
      throw new Refusal(400, [`Prefer: dynamic must be true or false, got ${JSON.stringify(dynamic)}.`]);
    }
    preferences.dynamic = dynamic === "true";
  }
  const seed = values.get("seed");
  if (seed !== undefined) preferences.seed = seed;
  return preferences;
}

function examplesOf(operation: IHttpOperation, status: string): string[] {
  const response = operation.responses.find((r) => r.code === status);
  return (response?.contents ?? []).flatMap((content) => (content.examples ?? []).map((e) => e.key));
}

/** Query parameters as Prism reads them: a string, or a list when the name repeats. */
export function queryValues(search: string): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  const params = new URLSearchParams(search);
  for (const key of new Set(params.keys())) {
    const all = params.getAll(key);
    query[key] = all.length === 1 ? all[0]! : all;
  }
  return query;
}

const integerText = /^[+-]?\d+$/;
const int64 = 2n ** 63n - 1n;

function isIntegerParam(param: IHttpParam): boolean {
  const type = (param.schema as { type?: string | string[] } | undefined)?.type;
  return type === "integer" || (Array.isArray(type) && type.includes("integer") && !type.includes("string"));
}

/** A problem with the request the validator cannot see, where it is and what is wrong. */
export interface WireProblem {
  location: "path" | "query" | "body";
  /** The parameter's name, or the body's JSON path below its root. */
  name: string;
  message: string;
}

/**
 * What Prism's validators let through but the API refuses: integer parameters that are not whole
 * 64-bit numbers, query parameters sent empty (Prism counts `?code=` as absent), numbers in the
 * body beyond 64 bits (Prism ignores `format: int64`), and a JSON `null` where the body is an
 * object (Prism counts it as no body).
 */
export function wireProblems(
  operation: IHttpOperation,
  pathParams: Record<string, string>,
  query: Record<string, string | string[]>,
  body: unknown,
): WireProblem[] {
  return [...nonIntegerParams(operation, pathParams, query), ...emptyQueryParams(operation, query), ...bodyProblems(operation, body)];
}

/** Query parameters sent with an empty value where their schema asks for something. */
function emptyQueryParams(operation: IHttpOperation, query: Record<string, string | string[]>): WireProblem[] {
  return (operation.request?.query ?? []).flatMap((param) => {
    const value = query[param.name];
    const texts = value === undefined ? [] : Array.isArray(value) ? value : [value];
    if (!texts.includes("") || isIntegerParam(param)) return [];
    const schema = (param.schema ?? {}) as { minLength?: number; enum?: unknown[]; format?: string; type?: unknown };
    const refusesEmpty = (schema.minLength ?? 0) > 0 || (schema.enum !== undefined && !schema.enum.includes("")) || schema.format !== undefined;
    if (!refusesEmpty) return [];
    return [{ location: "query" as const, name: param.name, message: `Request query parameter ${param.name} was sent empty; give it a value or leave it out` }];
  });
}

const int64Limit = 2 ** 63;

/** A `null` body where an object is documented, and numbers too large for the API's 64-bit integers. */
function bodyProblems(operation: IHttpOperation, body: unknown): WireProblem[] {
  const schema = operation.request?.body?.contents?.[0]?.schema as { type?: string | string[] } | undefined;
  if (body === null) {
    const types = Array.isArray(schema?.type) ? schema.type : [schema?.type];
    if (types.includes("null")) return [];
    return [{ location: "body", name: "", message: "Request body must be a JSON object; it was null" }];
  }
  const found: WireProblem[] = [];
  const walk = (value: unknown, path: string[]) => {
    if (typeof value === "number" && Number.isFinite(value) && Math.abs(value) >= int64Limit) {
      found.push({ location: "body", name: path.join("."), message: `Request body property ${path.join(".")} must fit in 64 bits, got ${value}` });
    } else if (Array.isArray(value)) value.forEach((item, index) => walk(item, [...path, String(index)]));
    else if (typeof value === "object" && value !== null) for (const [key, item] of Object.entries(value)) walk(item, [...path, key]);
  };
  walk(body, []);
  return found;
}

/**
 * Integer parameters whose text is not a whole number. Prism coerces with `Number()`, so it lets
 * `page=Infinity`, `page=1e3` and `page=0x10` through; the API reads decimal digits only.
 */
function nonIntegerParams(
  operation: IHttpOperation,
  pathParams: Record<string, string>,
  query: Record<string, string | string[]>,
): WireProblem[] {
  const found: WireProblem[] = [];
  for (const [location, params, values] of [
    ["path", operation.request?.path ?? [], pathParams],
    ["query", operation.request?.query ?? [], query],
  ] as const) {
    for (const param of params) {
      const value = values[param.name];
      if (value === undefined || !isIntegerParam(param)) continue;
      const texts = Array.isArray(value) ? value : [value];
      const bad = texts.find((v) => !integerText.test(v));
      const huge = texts.find((v) => integerText.test(v) && (BigInt(v) > int64 || BigInt(v) < -int64 - 1n));
      if (bad !== undefined || huge !== undefined) {
        const message = bad !== undefined ? `must be integer, got ${JSON.stringify(bad)}` : `must be a 64-bit integer, got ${huge}`;
        found.push({ location, name: param.name, message: `Request ${location} parameter ${param.name} ${message}` });
      }
    }
  }
  return found;
}

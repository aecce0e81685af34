/**
 * Reads the parts of an HTTP request that Prism trusts blindly (body, Content-Type, credentials,
 * `Prefer`, query values) and turns every malformed one into a refusal value instead of a throw, so
 * no request can reach Prism in a shape that crashes it or makes it answer a 5xx.
 */
import type { IncomingMessage } from "node:http";
import { MIMEType } from "node:util";
import type { IHttpOperation } from "@stoplight/types";

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

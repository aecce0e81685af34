import { ConformanceCheck } from "@billing-api/conformance";
import { documentedStatuses, documentsBody, responseSchemaPointer, schemaErrors } from "@billing-api/test-support/spec";

/**
 * The oracle an independent API fuzzer applies to every answer: a documented status of the operation
 * the request routes to, with a body valid against the schema for it. Refusals no operation owns are
 * allowed: an unroutable path (400, 404, 405 as JSON) and a request too large to read (413, 414, 431).
 */
/**
 * The mock's own router, its judge's on the bundled document: which operation a raw request
 * reaches. (Deriving Prism's operations here loaded Prism in the test worker, about 1.3 s of CPU,
 * for their method and path alone.)
 */
export const { router } = await ConformanceCheck.load();
const transportLevel = new Set([413, 414, 431]);

export interface Exchange {
  method: string;
  /** The raw path, with its query string. */
  path: string;
  body?: string | Buffer;
}

export interface Answered {
  status: number;
  /** The Content-Type header, or "". */
  type: string;
  text: string;
}

/** What is wrong with `answer` as a reply to `sent`, one line each; empty when nothing is. */
export function judge(sent: Exchange, answer: Answered): string[] {
  const body = sent.body === undefined ? "" : ` ${String(sent.body).slice(0, 200)}`;
  const what = `${sent.method} ${sent.path}${body} -> ${answer.status} ${answer.text.slice(0, 300)}`;
  if (answer.status >= 500) return [`a 5xx: ${what}`];
  const route = router.route(sent.method, sent.path.split("?")[0]!);
  if (route.kind !== "matched") {
    return [400, 404, 405].includes(answer.status) && /^application\/json/.test(answer.type) ? [] : [`an unroutable request answered oddly: ${what}`];
  }
  if (transportLevel.has(answer.status)) return [];
  const { operationId } = route.operation;
  if (!documentedStatuses(operationId).includes(answer.status)) return [`${operationId} does not document ${answer.status}: ${what}`];
  if (answer.text === "") return documentsBody(operationId, answer.status) && sent.method !== "HEAD" ? [`${operationId} ${answer.status} documents a body: ${what}`] : [];
  const mediaType = answer.type.split(";")[0]!.trim();
  let pointer: string;
  try {
    pointer = responseSchemaPointer(operationId, answer.status, mediaType);
  } catch (error) {
    return [`${(error as Error).message} ${what}`];
  }
  const value = mediaType.endsWith("json") ? (JSON.parse(answer.text) as unknown) : answer.text;
  return schemaErrors(pointer, value).map((error) => `${operationId} ${answer.status} body breaks its schema (${error}): ${what}`);
}

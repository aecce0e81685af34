import { basicToken } from "@billing-api/test-support/traffic";
import { operation, resolve } from "@billing-api/test-support/spec";

// Building blocks of the HAR fixtures: the spec's own examples, in entries as a browser records them.

/** The first named example of an operation's response, a fresh copy to break. */
export function example(operationId: string, status = 200, name?: string): Record<string, unknown> {
  const declared = operation(operationId).operation.responses[String(status)]!;
  const response = (declared as { $ref?: string }).$ref ? resolve<typeof declared>((declared as { $ref: string }).$ref) : declared;
  const examples = response.content!["application/json"]!.examples!;
  const chosen = (name ? examples[name] : Object.values(examples)[0])! as { value?: unknown; $ref?: string };
  return structuredClone(chosen.$ref ? resolve<{ value: unknown }>(chosen.$ref).value : chosen.value) as Record<string, unknown>;
}

interface EntryOptions {
  method?: string;
  url: string;
  status?: number;
  body?: unknown;
  contentType?: string;
  /** The request's JSON body, if it sent one. */
  requestBody?: unknown;
}

/** A HAR entry as a browser records it, with the test's Basic credentials. */
export function entry({ method = "GET", url, status = 200, body, contentType = "application/json; charset=utf-8", requestBody }: EntryOptions) {
  const text = body === undefined ? "" : typeof body === "string" ? body : JSON.stringify(body);
  const sent = requestBody === undefined ? undefined : JSON.stringify(requestBody);
  return {
    startedDateTime: "2026-11-21T10:00:00.000Z",
    time: 42,
    request: {
      method,
      url,
      httpVersion: "HTTP/1.1",
      headers: [{ name: "Authorization", value: `Basic ${basicToken}` }, { name: "Accept", value: "application/json" }],
      queryString: [],
      cookies: [],
      headersSize: -1,
      bodySize: sent?.length ?? 0,
      ...(sent === undefined ? {} : { postData: { mimeType: "application/json", text: sent } }),
    },
    response: { status, statusText: "", httpVersion: "HTTP/1.1", headers: [{ name: "Content-Type", value: contentType }], cookies: [], content: { size: text.length, mimeType: contentType, text }, redirectURL: "", headersSize: -1, bodySize: text.length },
    cache: {},
    timings: { send: 1, wait: 40, receive: 1 },
  };
}
export const har = (...entries: unknown[]) => ({ log: { version: "1.2", creator: { name: "test", version: "1" }, entries } });


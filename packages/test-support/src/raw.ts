import { inject } from "vitest";
import type {} from "./provided.js";
import { httpRequest } from "./http.js";
import { operation } from "./spec.js";

/** The headers every raw request sends: the test API key and a JSON body. */
export const auth = { Authorization: `Basic ${btoa("test-api-key:x")}`, "Content-Type": "application/json" };

/**
 * A request the typed client would not let you write (a wrong type, a missing field), sent as is
 * to the mock: the status and the parsed body, if any.
 */
export async function send(method: string, path: string, body?: unknown) {
  const { status, text } = await httpRequest(`${inject("mockUrl")}${path}`, { method, headers: auth, body: body === undefined ? undefined : JSON.stringify(body) });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a refusal's shape is what the test asserts.
  return { status, body: (text ? JSON.parse(text) : undefined) as any };
}

/** An operation's named request examples, as [name, body] pairs for test.each. */
export const requestExamples = (operationId: string) =>
  Object.entries(operation(operationId).operation.requestBody?.content["application/json"]?.examples ?? {}).map(([name, example]) => [name, example.value] as const);

import { afterEach, expect, test } from "vitest";
import { requestExamples } from "@billing-api/test-support/raw";
import { exampleCall, operations } from "@billing-api/test-support/spec";
import { expectValid, mockControl, namespace, sendStateful } from "@billing-api/test-support/stateful";

// Every operation, called as its examples describe (each named request body in turn), in a fresh
// namespace of the stateful mock: the answer is one of the statuses the operation documents, never
// a 5xx, with a body valid against the spec; and a success keeps what was sent: each value sent
// that the answer has at the same place comes back the same (a vault's token, a charge's period).
let current: string | undefined;
afterEach(async () => {
  if (current) await mockControl(current).reset();
});

const cases = operations.flatMap(({ operationId }) => {
  const bodies = requestExamples(operationId);
  return bodies.length === 0 ? [[operationId, "(no body)", undefined] as const] : bodies.map(([name, body]) => [operationId, name, body] as const);
});

test.each(cases)("%s, example %s: a documented status with a valid body, keeping what was sent", async (operationId, _name, body) => {
  const { method, path, params } = exampleCall(operationId);
  const url = path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(String((params.path as Record<string, unknown>)[name])));
  const query = new URLSearchParams(Object.entries(params.query).map(([name, value]) => [name, String(value)])).toString();
  current = namespace(`every-${operationId}`);
  const result = await sendStateful(current, method, query ? `${url}?${query}` : url, body);
  expect(result.status, JSON.stringify(result.body)).toBeLessThan(500);
  expectValid(operationId, result);
  if (result.status < 300) expect(changed(body, result.body)).toEqual([]);
});

/** The same value as a form or JSON may send it: `"04"` is 4, `"1"` is true. */
function same(sent: unknown, answered: unknown): boolean {
  if (String(sent) === String(answered)) return true;
  if (typeof answered === "number" && typeof sent === "string" && sent.trim() !== "") return Number(sent) === answered;
  if (typeof answered === "boolean") return ["1", "true", 1].includes(sent as string) === answered;
  return false;
}

/** Each value sent whose place the answer also has, with another value there: `/payment_profile/vault_token`. */
function changed(sent: unknown, answered: unknown, at = ""): string[] {
  if (typeof sent !== "object" || sent === null || Array.isArray(sent)) {
    return sent === undefined || Array.isArray(sent) || answered === undefined || same(sent, answered) ? [] : [`${at}: sent ${JSON.stringify(sent)}, answered ${JSON.stringify(answered)}`];
  }
  if (typeof answered !== "object" || answered === null) return [];
  return Object.entries(sent).flatMap(([key, value]) => (key in answered ? changed(value, (answered as Record<string, unknown>)[key], `${at}/${key}`) : []));
}

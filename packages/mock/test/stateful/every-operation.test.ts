import { afterEach, expect, test } from "vitest";
import { requestExamples } from "@billing-api/test-support/raw";
import { exampleCall, operations } from "@billing-api/test-support/spec";
import { expectValid, mockControl, namespace, sendStateful } from "@billing-api/test-support/stateful";

// Every operation, called as its examples describe (each named request body in turn), in a fresh
// namespace of the stateful mock: the answer is one of the statuses the operation documents, never
// a 5xx, with a body valid against the spec.
let current: string | undefined;
afterEach(async () => {
  if (current) await mockControl(current).reset();
});

const cases = operations.flatMap(({ operationId }) => {
  const bodies = requestExamples(operationId);
  return bodies.length === 0 ? [[operationId, "(no body)", undefined] as const] : bodies.map(([name, body]) => [operationId, name, body] as const);
});

test.each(cases)("%s, example %s: a documented status with a valid body", async (operationId, _name, body) => {
  const { method, path, params } = exampleCall(operationId);
  const url = path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(String((params.path as Record<string, unknown>)[name])));
  const query = new URLSearchParams(Object.entries(params.query).map(([name, value]) => [name, String(value)])).toString();
  current = namespace(`every-${operationId}`);
  const result = await sendStateful(current, method, query ? `${url}?${query}` : url, body);
  expect(result.status, JSON.stringify(result.body)).toBeLessThan(500);
  expectValid(operationId, result);
});

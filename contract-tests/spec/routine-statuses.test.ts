import { errorOf } from "@billing-api/client";
import { describe, expect, test } from "vitest";
import { expectDocumented, mockClient, prefer } from "../support/contract.js";
import { operation, resolve, routineCases } from "../support/spec.js";

// The statuses every operation answers the same way (401 for bad credentials, the shared 404) are
// swept here from the bundled document: each operation, called through the typed client with its
// documented example parameters and body, asked for the status with `Prefer`. The coverage gate counts
// these as contract tests; the hand-written ones assert behaviour a user relies on.

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  example?: unknown;
}

/** The call an operation's examples describe: path and query parameters, and the first request body. */
function exampleCall(operationId: string) {
  const { method, path, operation: op } = operation(operationId);
  const item = resolve<{ parameters?: { $ref?: string }[] }>(`#/paths/${path.replace(/~/g, "~0").replace(/\//g, "~1")}`);
  const parameters = [...(item.parameters ?? []), ...((op.parameters ?? []) as { $ref?: string }[])].map((p) =>
    p.$ref ? resolve<Parameter>(p.$ref) : (p as unknown as Parameter),
  );
  const pick = (where: string) =>
    Object.fromEntries(parameters.filter((p) => p.in === where && (where === "path" || p.required)).map((p) => [p.name, p.example]));
  const examples = op.requestBody?.content["application/json"]?.examples;
  const first = examples ? Object.values(examples)[0] : undefined;
  const body = first && ("value" in first ? first.value : resolve<{ value: unknown }>((first as unknown as { $ref: string }).$ref).value);
  return { method: method.toUpperCase(), path, params: { path: pick("path"), query: pick("query") }, body };
}

describe("routine statuses of every operation (table-driven)", () => {
  const cases = routineCases();

  test("there are routine statuses to sweep", () => {
    expect(cases.length).toBeGreaterThan(20);
  });

  test.each(cases.map(({ operationId, status }) => [operationId, status] as const))("%s -> %i", async (operationId, status) => {
    const { method, path, params, body } = exampleCall(operationId);
    const client = mockClient();
    // The path and method come from the document, so the call is typed only as loosely as that.
    const request = client.request as unknown as (method: string, path: string, init: object) => ReturnType<typeof client.GET>;
    const result = await request(method, path, { params, ...(body === undefined ? {} : { body }), headers: prefer(status) });
    await expectDocumented(operationId, status, result);
    expect(errorOf(result)?.status).toBe(status);
    if (status === 401) expect(result.error).toBe("HTTP Basic: Access denied.\n");
  });
});

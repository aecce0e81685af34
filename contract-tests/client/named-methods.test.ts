import { operationTable } from "@billing-api/client";
import { describe, expect, test } from "vitest";
import { expectDocumented, mockClient } from "../support/contract.js";
import { exampleCall, operations } from "@billing-api/test-support/spec";
import { namedMethod } from "../support/named-method.js";

// Every operation of the bundled document, called through its named method with its documented
// example arguments, answers its first documented success against the mock, at the right URL.
const named = Object.entries(operationTable).flatMap(([group, entries]) => Object.keys(entries).map((id) => [group, id] as const));

describe("named methods", () => {
  test("the table names every operation of the document, once", () => {
    expect(named.map(([, id]) => id).sort()).toEqual(operations.map(({ operationId }) => operationId).sort());
  });

  test.each(named)("%s.%s answers its documented success", async (_group, operationId) => {
    const { path, params, args } = exampleCall(operationId);
    const success = Number(Object.keys(operations.find((entry) => entry.operationId === operationId)!.operation.responses).find((status) => status.startsWith("2")));
    const { data, error, response } = await namedMethod(mockClient(), operationId)(args);
    expect(error).toBeUndefined();
    await expectDocumented(operationId, success, { data, error, response });
    const expectedPath = path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(String(params.path[name])));
    expect(new URL(response.url).pathname).toBe(expectedPath);
    for (const [name, value] of Object.entries(params.query)) expect(new URL(response.url).searchParams.get(name)).toBe(String(value));
  });
});

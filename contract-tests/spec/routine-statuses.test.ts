import { describe, expect, test } from "vitest";
import { expectDocumented, mockClient, prefer } from "../support/contract.js";
import { recordContract } from "../support/contract-log.js";
import { exampleCall, routineCases } from "@billing-api/test-support/spec";
import { namedMethod } from "../support/named-method.js";

// The statuses every operation answers the same way (401 for bad credentials, the shared 404) are
// swept here from the bundled document: each operation, called through its named method with its
// documented example parameters and body, asked for the status with `Prefer`. The coverage gate counts
// these as contract tests; the hand-written ones assert behaviour a user relies on.

describe("routine statuses of every operation (table-driven)", () => {
  const cases = routineCases();

  test("there are routine statuses to sweep", () => {
    expect(cases.length).toBeGreaterThan(20);
  });

  test.each(cases.map(({ operationId, status }) => [operationId, status] as const))("%s -> %i", async (operationId, status) => {
    recordContract(operationId, status);
    const { args } = exampleCall(operationId);
    const { data, error, response } = await namedMethod(mockClient(), operationId)(args, { headers: prefer(status) });
    await expectDocumented(operationId, status, { data, error: error?.body, response });
    expect(error?.status).toBe(status);
    if (status === 401) expect(error?.body).toBe("HTTP Basic: Access denied.\n");
  });
});

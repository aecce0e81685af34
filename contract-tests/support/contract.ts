import { createBillingClient, type BillingClient } from "@billing-api/client";
import { expect, inject, test } from "vitest";
import { recordContract } from "./contract-log.js";
import { documentsBody, responseSchemaPointer, schemaErrors } from "@billing-api/test-support/spec";

/** A client pointed at the mock started by support/mock-setup.ts. */
export function mockClient(): BillingClient {
  return createBillingClient({ baseUrl: inject("mockUrl"), apiKey: "test-api-key" });
}

/** Headers asking the mock for one documented response (`Prefer: code=422, example=...`). */
export function prefer(status: number, example?: string): { Prefer: string } {
  return { Prefer: example ? `code=${status}, example=${example}` : `code=${status}` };
}

interface CallResult {
  response: Response;
  data?: unknown;
  error?: unknown;
}

/**
 * One contract test: `operationId` answers `status`, and its body is valid against the schema the
 * spec documents for that status. `run` makes the call with the typed client and may assert more.
 *
 * The coverage gate (spec/coverage.test.ts) counts the contract tests that ran: each records its
 * operation and status when it starts, so a skipped or unreachable one does not count. One per
 * documented status.
 */
export function contract(
  operationId: string,
  status: number,
  title: string,
  run: (client: BillingClient) => Promise<CallResult>,
): void {
  test(`${operationId} -> ${status}: ${title}`, async () => {
    recordContract(operationId, status);
    await expectDocumented(operationId, status, await run(mockClient()));
  });
}

/**
 * The checks every contract test makes: the status, and a body valid against the schema the spec
 * documents for it (no body where it documents none), exposed as `data` or `error` as the client should.
 */
export async function expectDocumented(operationId: string, status: number, result: CallResult): Promise<void> {
  const { response } = result;
  expect(response.status, `status of ${operationId}`).toBe(status);

  const mediaType = response.headers.get("content-type")?.split(";")[0]?.trim();
  if (!documentsBody(operationId, status)) {
    expect(result.data, `${operationId} ${status} documents no body`).toBeUndefined();
    expect(await response.clone().text()).toBe("");
  } else if (response.ok) {
    expect(mediaType, `${operationId} ${status} has a documented body`).toBeTruthy();
    expect(schemaErrors(responseSchemaPointer(operationId, status, mediaType!), result.data)).toEqual([]);
  } else {
    expect(mediaType, `${operationId} ${status} has a documented body`).toBeTruthy();
    expect(result.error, "the client exposes the error body").toBeDefined();
    expect(schemaErrors(responseSchemaPointer(operationId, status, mediaType!), result.error)).toEqual([]);
    expect(result.data).toBeUndefined();
  }
}

import { createBillingClient, type BillingClient } from "@billing-api/client";
import { inject } from "vitest";
import { expectDocumented } from "./contract.js";

export { expectValid, mockControl, namespace, sendStateful } from "@billing-api/test-support/stateful";

/** A typed client on the stateful mock, in `name`'s namespace; no retries, so a 429 is seen as is. */
export function statefulClient(name: string, apiKey = "test-api-key"): BillingClient {
  return createBillingClient({ baseUrl: inject("statefulMockUrl"), apiKey, headers: { "Mock-Namespace": name }, retry: false });
}

/**
 * `expectDocumented` for a named method's result, whose `error` is `{ status, body }`: the status,
 * and a body valid against the schema the spec documents for it.
 */
export async function expectAnswer(
  operationId: string,
  status: number,
  result: { data?: unknown; error?: { body: unknown } | undefined; response: Response },
): Promise<void> {
  await expectDocumented(operationId, status, { response: result.response, data: result.data, error: result.error?.body });
}

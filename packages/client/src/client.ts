import { createCore, type BillingCoreClient } from "./core.js";
import { operationTable, type OperationTable } from "./generated/operations.js";
import { bindOperations, type NamedOperations } from "./named.js";
import type { BillingClientOptions } from "./options.js";
import { bodyWaitMs } from "./retry-at.js";

/**
 * Every operation by name, grouped by tag (`billing.paymentProfiles.readPaymentProfile(...)`), and
 * the path-based `GET`/`POST`/`PUT`/`DELETE` of openapi-fetch on the same object.
 */
export type BillingClient = BillingCoreClient & NamedOperations<OperationTable>;

/**
 * Creates a client for one site. Every request carries Basic auth from `apiKey` and JSON headers,
 * times out after `timeoutMs` (30 s) and retries idempotent requests on 429/502/503/504 and network
 * errors (`retry`, or `retry: false`), unless the server asks for a longer wait than the retries
 * allow: then the error comes back at once, with `retryAt`.
 *
 * ```ts
 * const billing = createBillingClient({ subdomain: "acme", apiKey: process.env.BILLING_API_KEY! });
 * const { data, error } = await billing.paymentProfiles.readPaymentProfile({ payment_profile_id: 10089892 });
 * if (error?.status === 404) console.log(error.body.errors);
 * ```
 */
export function createBillingClient(options: BillingClientOptions): BillingClient {
  const core = createCore(options);
  // The whole client also reads the management link's stated wait from its body; the core entry
  // point reads `Retry-After` only, which keeps its bundle within budget.
  core.runtime.bodyWaitMs = bodyWaitMs;
  return Object.assign(core.client, bindOperations(operationTable, core));
}

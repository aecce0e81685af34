import createClient, { type Client } from "openapi-fetch";
import type { paths } from "./generated/openapi.js";
import { emptyErrorBodies } from "./errors.js";
import { basicAuthorization, resolveBaseUrl, type BillingClientOptions } from "./options.js";

/**
 * A typed client for every operation of the Billing API. Typed over every media type (not just
 * JSON) because the real 401 body is `text/plain`: restricted to JSON, openapi-fetch would type that
 * error as `{ "text/plain": string }` instead of `string`.
 */
export type BillingClient = Client<paths>;

/**
 * Creates a client for one site. Every request carries Basic auth from `apiKey` and JSON headers;
 * responses come back as `{ data, error, response }`, typed from the OpenAPI document.
 *
 * ```ts
 * const billing = createBillingClient({ subdomain: "acme", apiKey: process.env.BILLING_API_KEY! });
 * const { data, error } = await billing.GET("/portal/customers/{customer_id}/management_link.json", {
 *   params: { path: { customer_id: 150 } },
 * });
 * ```
 */
export function createBillingClient(options: BillingClientOptions): BillingClient {
  const client = createClient<paths>({
    baseUrl: resolveBaseUrl(options),
    headers: {
      ...options.headers,
      Accept: "application/json",
      "Content-Type": "application/json",
      Authorization: basicAuthorization(options.apiKey),
    },
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  client.use(emptyErrorBodies);
  return client;
}

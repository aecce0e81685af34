import createClient, { type Client } from "openapi-fetch";
import { emptyErrorBodies } from "./errors.js";
import type { paths } from "./generated/openapi.js";
import { basicAuthorization, resolveBaseUrl, type BillingClientOptions } from "./options.js";
import { resilientFetch, type ResilienceOptions, type ResilienceRuntime } from "./resilience.js";

/**
 * The path-based client: `billing.GET("/payment_profiles/{payment_profile_id}.json", ...)`, typed
 * over every media type (not just JSON) because the real 401 body is `text/plain`.
 */
export type BillingCoreClient = Client<paths>;

/** What the named methods are built on: the core client, its runtime and default resilience. */
export interface CoreParts {
  client: BillingCoreClient;
  runtime: ResilienceRuntime;
  defaults: ResilienceOptions;
  baseUrl: string;
  headers: Record<string, string>;
}

/** The core client and the pieces the named methods share with it. */
export function createCore(options: BillingClientOptions): CoreParts {
  const authorization = basicAuthorization(options.apiKey);
  const secrets = [options.apiKey, authorization.slice("Basic ".length)];
  // The options' fetch, sleep, random and now, by the same names.
  const runtime: ResilienceRuntime = {
    ...options,
    redact: (text) => secrets.reduce((redacted, secret) => redacted.replaceAll(secret, "[redacted]"), text),
  };
  const defaults: ResilienceOptions = { timeoutMs: options.timeoutMs, retry: options.retry };
  const baseUrl = resolveBaseUrl(options);
  const headers = { ...options.headers, Accept: "application/json", "Content-Type": "application/json", Authorization: authorization };
  const client = createClient<paths>({ baseUrl, headers, fetch: resilientFetch(runtime, defaults) });
  client.use(emptyErrorBodies);
  return { client, runtime, defaults, baseUrl, headers };
}

/**
 * A client without the operation-named methods, for the smallest bundle: only the path-based
 * `GET`/`POST`/`PUT`/`DELETE`, with the same auth, timeout and retries.
 */
export function createBillingCoreClient(options: BillingClientOptions): BillingCoreClient {
  return createCore(options).client;
}

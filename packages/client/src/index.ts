export { createBillingClient, type BillingClient } from "./client.js";
export { errorOf, emptyErrorBodies, type OperationError } from "./errors.js";
export {
  billingDomains,
  type BaseUrlOptions,
  type BillingClientOptions,
  type BillingDomain,
  type SiteOptions,
} from "./options.js";
export type * from "./generated/openapi.js";

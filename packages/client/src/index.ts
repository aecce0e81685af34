export { createBillingClient, type BillingClient } from "./client.js";
export { createBillingCoreClient, type BillingCoreClient } from "./core.js";
export { errorOf, emptyErrorBodies, type ErrorTiming, type OperationError } from "./errors.js";
export type { CallOptions, NamedOperations, OperationArgs, OperationData, OperationMethod, OperationResult } from "./named.js";
export {
  billingDomains,
  type BaseUrlOptions,
  type BillingClientOptions,
  type BillingDomain,
  type SiteOptions,
} from "./options.js";
export { BillingNetworkError, BillingTimeoutError, retryAfterMs, type ResilienceOptions, type RetryOptions } from "./resilience.js";
export { createManagementLinkCache, type ManagementLinkCache, type ManagementLinkResult } from "./helpers/management-link-cache.js";
export { paginate, BillingApiError } from "./helpers/paginate.js";
export { errorDetails, errorMessages, type BillingErrorBody, type ErrorDetail, type ErrorLike } from "./helpers/error-messages.js";
export { selfServiceUpdateUrl, type SelfServiceUpdateUrlOptions } from "./helpers/self-service.js";
export { threeDSecureRedirectUrl, type ThreeDSecureRedirectOptions } from "./helpers/three-d-secure.js";
export { operationTable, type OperationTable, type RequestBodies } from "./generated/operations.js";
export type * from "./generated/openapi.js";
export {
  parseForm,
  parseWebhook,
  signWebhookBody,
  webhookIdHeader,
  webhookSignatureHeader,
  WebhookSignatureError,
  type ParseWebhookOptions,
  type Webhook,
  type WebhookEvent,
  type WebhookForm,
  type WebhookPayload,
} from "./webhooks.js";

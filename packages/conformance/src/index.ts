export { ConformanceCheck, describeConformance, type ConformanceViolation, type Exchange, type ExchangePart, type Verdict, type ViolationKind } from "./conformance.js";
export { SchemaCheck, shortJson, type ProblemKind, type SchemaProblem } from "./schema-check.js";
export { RequestCheck, queryLists, type RequestParts, type RequestProblem } from "./request-check.js";
export { documentOperations, type DocumentOperation, type DocumentParameter, type ParameterLocation } from "./operations.js";
export { Router, controlPrefix, type Routable, type RouteResult } from "./routes.js";
export { beyondInt64, int64Message, oversizeIntegers } from "./int64.js";
export { escapeSegment, isObject, unescapeSegment, type JsonSchema } from "./json.js";
export {
  WebhookCheck,
  describeWebhookViolation,
  formFields,
  webhookIdHeader,
  webhookSignature,
  webhookSignatureHeader,
  type WebhookDelivery,
  type WebhookVerdict,
  type WebhookViolation,
  type WebhookViolationKind,
} from "./webhook-check.js";

export { ConformanceCheck, describeConformance, type ConformanceViolation, type Exchange, type ExchangePart, type Verdict, type ViolationKind } from "./conformance.js";
export { SchemaCheck, shortJson, type ProblemKind, type SchemaProblem } from "./schema-check.js";
export { Router, controlPrefix, expandTemplate, type RouteResult } from "./routes.js";
export { queryValues, wireProblems, type WireProblem } from "./wire.js";
export { loadOperations, validateRequest } from "./prism.js";
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

export { startMock, type MockOptions, type MockServer, type MockState } from "./server.js";
export { Clock, MemoryStoreProvider, StoreFull, defaultLimits, type Store, type StoreLimits, type StoreProvider, type StoredRecord } from "./stateful/store.js";
export { describeViolation, errorShapes, requestViolations, violationsBody, type Diagnostic, type ErrorShape, type Violation } from "./violations.js";
export { explainedByRules, ruleViolations, type RuleViolation } from "./rules.js";
export { Router, type RouteResult } from "./routes.js";
export { ConformanceCheck, describeConformance, type ConformanceViolation, type Exchange, type ExchangePart, type Verdict, type ViolationKind } from "./conformance.js";
export { SchemaCheck, type ProblemKind, type SchemaProblem } from "./schema-check.js";
export { listen, type ListeningServer } from "./listen.js";
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
export { defaultSharedKey, retrySchedule, type Attempt, type Endpoint, type SentWebhook } from "./webhooks/dispatcher.js";
export { eventRules, type EmittedEvent, type EventRule } from "./stateful/events.js";

export { startMock, type MockOptions, type MockServer, type MockState } from "./server.js";
export {
  MemoryStoreProvider,
  OffsetClock,
  StoreFull,
  StoreUnavailable,
  defaultLimits,
  type Clock,
  type Match,
  type Store,
  type StoreLimits,
  type StoreProvider,
  type StoredRecord,
} from "./stateful/store.js";
export { RedisStoreProvider, type RedisStoreOptions } from "./stateful/redis-store.js";
export { describeViolation, errorShapes, requestViolations, violationsBody, type Diagnostic, type ErrorShape, type Violation } from "./violations.js";
export { explainedByRules, ruleViolations, type RuleViolation } from "./rules.js";
export { defaultSharedKey, retrySchedule, type Attempt, type Endpoint, type SentWebhook } from "./webhooks/dispatcher.js";
export { eventRules, type EmittedEvent, type EventRule } from "./stateful/events.js";

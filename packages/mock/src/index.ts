export { startMock, type MockOptions, type MockServer } from "./server.js";
export { mockControl, MockControlError, type MockClockSummary, type MockControl, type MockControlOptions, type MockState, type MockTimeChange } from "./control-client.js";
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
export { defaultSharedKey, type Endpoint } from "./webhooks/dispatcher.js";
export { retrySchedule, type Attempt, type SentWebhook } from "./webhooks/log-entry.js";
export { eventRules, type EmittedEvent, type EventRule } from "./stateful/events.js";

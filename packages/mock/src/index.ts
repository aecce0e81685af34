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
export { defaultSharedKey, retrySchedule, type Attempt, type Endpoint, type SentWebhook } from "./webhooks/dispatcher.js";
export { eventRules, type EmittedEvent, type EventRule } from "./stateful/events.js";

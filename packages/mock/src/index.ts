export { startMock, type MockOptions, type MockServer, type MockState } from "./server.js";
export { Clock, MemoryStoreProvider, StoreFull, defaultLimits, type Store, type StoreLimits, type StoreProvider, type StoredRecord } from "./stateful/store.js";

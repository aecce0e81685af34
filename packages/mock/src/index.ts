export { startMock, type MockOptions, type MockServer } from "./server.js";
export { mockControl, MockControlError, type MockClockSummary, type MockControl, type MockControlOptions, type MockState, type MockTimeChange } from "./control-client.js";
export { Clock, MemoryStoreProvider, StoreFull, defaultLimits, type Store, type StoreLimits, type StoreProvider, type StoredRecord } from "./stateful/store.js";
export { describeViolation, errorShapes, requestViolations, violationsBody, type Diagnostic, type ErrorShape, type Violation } from "./violations.js";
export { explainedByRules, ruleViolations, type RuleViolation } from "./rules.js";
export { Router, type RouteResult } from "./routes.js";
export { ConformanceCheck, describeConformance, type ConformanceViolation, type Exchange, type ExchangePart, type Verdict, type ViolationKind } from "./conformance.js";
export { SchemaCheck, type ProblemKind, type SchemaProblem } from "./schema-check.js";
export { listen, type ListeningServer } from "./listen.js";

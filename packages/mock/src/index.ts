export { startMock, type MockOptions, type MockServer } from "./server.js";
export { describeViolation, requestViolations, shapeOf, violationsBody, type ErrorShape, type Violation } from "./violations.js";
export { Router, type RouteResult } from "./routes.js";

export { startMock, type MockOptions, type MockServer } from "./server.js";
export { explainInvalidRequest, requestViolations, describeViolation, type Violation } from "./violations.js";

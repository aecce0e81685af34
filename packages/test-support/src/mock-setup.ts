import type { TestProject } from "vitest/node";
import { startMock } from "@billing-api/mock";
import type {} from "./provided.js";

// @billing-api/mock is not a dependency of this package: the mock's own tests use this setup, so
// that would be a cycle. Each package whose tests use it depends on the mock itself.

/**
 * Starts the Billing API mock once for all test files and shares its URL through `inject("mockUrl")`.
 * It is quiet, so the report shows tests rather than traffic; `BILLING_MOCK_LOG=1 npm test` prints
 * its request log, and a test that wants to see requests starts its own mock with `onRequest`.
 */
export default async function setup(project: TestProject) {
  const log = process.env.BILLING_MOCK_LOG === "1";
  const mock = await startMock({ port: 0, onRequest: log ? (entry) => console.error("mock", JSON.stringify(entry)) : undefined });
  project.provide("mockUrl", mock.url);
  const stateful = await startMock({ port: 0, stateful: true });
  project.provide("statefulMockUrl", stateful.url);
  return async () => {
    await Promise.all([mock.close(), stateful.close()]);
  };
}

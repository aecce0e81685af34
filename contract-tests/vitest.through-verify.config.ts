import { tmpdir } from "node:os";
import { join } from "node:path";
import SummaryReporter from "@billing-api/test-support/summary-reporter";
import { namespaceCleanup } from "@billing-api/test-support/vitest-config";
import { defineConfig } from "vitest/config";

// The contract tests by resource, against the mock through billing-verify's proxy
// (support/verified-mock-setup.ts): run by `npm test` after the main run. THROUGH_VERIFY_ALL=1 adds
// the other cross-package tests here (the mock's own fuzzers now run with the mock's tests).
// VERIFY_UPSTREAM=URL puts another server behind the proxy (the stateful mock: its answers are
// checked, though tests written for the stateless mock's fixed examples will not all pass).
// The CLI, docs and packaging tests start servers or processes of their own, and
// the coverage gate belongs to the main run, so they are never included.
const resources = ["billing-portal", "coupons", "customers", "payment-profiles", "portal-sessions", "subscription-groups", "subscriptions"];

export default defineConfig({
  test: {
    reporters: ["default", new SummaryReporter()],
    maxWorkers: 2,
    // As in the main run (@billing-api/test-support's base config): a worker keeps what it loaded
    // (the client, the bundled document and its compiled schemas) from one file to the next, and a
    // busy machine is never a failure.
    isolate: false,
    testTimeout: 180_000,
    hookTimeout: 300_000,
    // The contract tests record themselves; this run's records are its own, read by nobody.
    provide: { contractLog: join(tmpdir(), `billing-contracts-through-verify-${process.pid}`) },
    include: process.env.THROUGH_VERIFY_ALL ? ["**/*.test.ts"] : resources.map((folder) => `${folder}/**/*.test.ts`),
    exclude: ["node_modules/**", "cli/**", "docs/**", "packaging/**", "spec/coverage.test.ts"],
    globalSetup: ["./support/verified-mock-setup.ts", "./support/contract-log-setup.ts"],
    setupFiles: [namespaceCleanup],
  },
});

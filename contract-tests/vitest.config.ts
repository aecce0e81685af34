import { tmpdir } from "node:os";
import { join } from "node:path";
import { baseTestConfig, namespaceCleanup, sharedMockSetup } from "@billing-api/test-support/vitest-config";
import { defineConfig, mergeConfig } from "vitest/config";

// Where this run's contract tests record themselves (support/contract-log.ts) for the coverage gate.
// Named by the process only: vitest evaluates this file more than once per run.
const contractLog = join(tmpdir(), `billing-contracts-${process.pid}`);

// The contract tests by resource, run a second time against the mock through billing-verify's proxy
// (support/verified-mock-setup.ts), beside the first run, in the same vitest process.
// THROUGH_VERIFY_ALL=1 (npm run test:through-verify) sends every cross-package test through it.
// VERIFY_UPSTREAM=URL puts another server behind the proxy (the stateful mock: its answers are
// checked, though tests written for the stateless mock's fixed examples will not all pass).
// The CLI, docs and packaging tests start servers or processes of their own, and the coverage gate
// belongs to the first run, so they are never included.
const resources = ["billing-portal", "coupons", "customers", "payment-profiles", "portal-sessions", "subscription-groups", "subscriptions"];

// The shared base (reporters, workers, timeouts: @billing-api/test-support), then this workspace's
// three projects: the tests that cross packages, the same by resource through billing-verify, then
// the coverage gate.
export default mergeConfig(baseTestConfig, defineConfig({
  test: {
    provide: { contractLog },
    projects: [
      {
        extends: true,
        test: {
          name: "contracts",
          include: ["**/*.test.ts"],
          exclude: ["node_modules/**", "spec/coverage.test.ts"],
          // One Prism mock for the whole run, on a free loopback port (@billing-api/test-support/mock-setup).
          globalSetup: [sharedMockSetup, "./support/contract-log-setup.ts"],
          setupFiles: [namespaceCleanup],
          // Checks every file of tsconfig.json, not only the type tests: a type error anywhere fails the run.
          typecheck: {
            enabled: true,
            include: ["**/*.test-d.ts"],
            tsconfig: "./tsconfig.json",
          },
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: "through-verify",
          // The contract tests record themselves; this project's records are its own, read by nobody.
          provide: { contractLog: `${contractLog}-through-verify` },
          include: process.env.THROUGH_VERIFY_ALL ? ["**/*.test.ts"] : resources.map((folder) => `${folder}/**/*.test.ts`),
          exclude: ["node_modules/**", "cli/**", "docs/**", "packaging/**", "spec/coverage.test.ts"],
          globalSetup: ["./support/verified-mock-setup.ts", "./support/contract-log-setup.ts"],
          setupFiles: [namespaceCleanup],
          sequence: { groupOrder: 0 },
        },
      },
      {
        // The coverage gate counts the contract tests that ran, so it runs after all of them.
        extends: true,
        test: {
          name: "coverage",
          include: ["spec/coverage.test.ts"],
          globalSetup: ["./support/coverage-setup.ts"],
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
}));

import { tmpdir } from "node:os";
import { join } from "node:path";
import { baseTestConfig, namespaceCleanup, sharedMockSetup } from "@billing-api/test-support/vitest-config";
import { defineConfig, mergeConfig } from "vitest/config";

// Where this run's contract tests record themselves (support/contract-log.ts) for the coverage gate.
// Named by the process only: vitest evaluates this file more than once per run.
const contractLog = join(tmpdir(), `billing-contracts-${process.pid}`);

// The shared base (reporters, workers, timeouts: @billing-api/test-support), then this workspace's
// two projects: the tests that cross packages, then the coverage gate.
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
          typecheck: {
            enabled: true,
            include: ["**/*.test-d.ts"],
            tsconfig: "./tsconfig.json",
          },
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

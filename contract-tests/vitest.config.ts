import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineConfig } from "vitest/config";

// Where this run's contract tests record themselves (support/contract-log.ts) for the coverage gate.
// Named by the process only: vitest evaluates this file more than once per run.
const contractLog = join(tmpdir(), `billing-contracts-${process.pid}`);

export default defineConfig({
  test: {
    // The default report, then one plain `N passed, N failed` line for CI.
    reporters: ["default", "./support/summary-reporter.ts"],
    // Two cores: more workers only add start-up time.
    maxWorkers: 2,
    // Two cores shared by several engineers: a test that spawns a process can wait its turn for
    // seconds, and Chromium (a beforeAll) longer. Generous, so a busy machine is never a failure;
    // speed is for the benchmarks.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    provide: { contractLog },
    projects: [
      {
        extends: true,
        test: {
          name: "contracts",
          include: ["**/*.test.ts"],
          exclude: ["node_modules/**", "spec/coverage.test.ts"],
          // One Prism mock for the whole run, on a free loopback port (see support/mock-setup.ts).
          globalSetup: ["./support/mock-setup.ts", "./support/contract-log-setup.ts"],
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
});

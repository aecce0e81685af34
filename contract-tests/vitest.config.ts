import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["**/*.test.ts"],
    // The default report, then one plain `N passed, N failed` line for CI.
    reporters: ["default", "./support/summary-reporter.ts"],
    exclude: ["node_modules/**"],
    // One Prism mock for the whole run, on a free loopback port (see support/mock-setup.ts).
    globalSetup: ["./support/mock-setup.ts"],
    typecheck: {
      enabled: true,
      include: ["**/*.test-d.ts"],
      tsconfig: "./tsconfig.json",
    },
    // Two cores: more workers only add start-up time.
    maxWorkers: 2,
  },
});

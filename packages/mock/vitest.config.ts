import { namespaceCleanup, sharedMockSetup, testConfig } from "@billing-api/test-support/vitest-config";

export default testConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // One stateless and one stateful mock for the whole run (inject("mockUrl"), inject("statefulMockUrl")),
    // and each file's stateful namespaces dropped when it ends.
    globalSetup: [sharedMockSetup],
    setupFiles: [namespaceCleanup],
  },
});

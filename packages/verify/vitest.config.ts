import { sharedMockSetup, testConfig } from "@billing-api/test-support/vitest-config";

export default testConfig({
  // The mock the proxy and live tests put billing-verify in front of (inject("mockUrl")).
  test: { globalSetup: [sharedMockSetup] },
});

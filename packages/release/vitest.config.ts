import { testConfig } from "@billing-api/test-support/vitest-config";

export default testConfig();

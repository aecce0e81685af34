import { testConfig } from "@billing-api/test-support/vitest-config";

export default testConfig({
  // The client's type tests (*.test-d.ts), checked by tsc.
  test: { typecheck: { enabled: true, include: ["test/**/*.test-d.ts"], tsconfig: "./test/tsconfig.json" } },
});

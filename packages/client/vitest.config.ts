import { testConfig } from "@billing-api/test-support/vitest-config";

export default testConfig({
  // The client's type tests (*.test-d.ts). The check covers every file of test/tsconfig.json, so a
  // type error in any test file fails the run.
  test: { typecheck: { enabled: true, include: ["test/**/*.test-d.ts"], tsconfig: "./test/tsconfig.json" } },
});

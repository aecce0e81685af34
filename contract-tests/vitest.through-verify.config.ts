import { defineConfig } from "vitest/config";
import base from "./vitest.config.js";

// The contract tests against the mock, through billing-verify's proxy (support/verified-mock-setup.ts).
// The CLI, docs and verifier tests start servers of their own, so they are left out.
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    globalSetup: ["./support/verified-mock-setup.ts"],
    typecheck: { enabled: false },
    exclude: ["node_modules/**", "cli/**", "docs/**", "verify/**"],
  },
});

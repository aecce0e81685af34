import { defineConfig } from "vitest/config";
import base from "./vitest.config.js";

// The contract tests by resource, against the mock through billing-verify's proxy
// (support/verified-mock-setup.ts): run by `npm test` after the main run. THROUGH_VERIFY_ALL=1 adds
// the mock's robustness and conformance generators and the client tests (about 3,000 exchanges).
// VERIFY_UPSTREAM=URL puts another server behind the proxy (the stateful mock: its answers are
// checked, though tests written for the stateless mock's fixed examples will not all pass).
// The CLI, docs and verifier tests start servers of their own, so they are never included.
const resources = ["billing-portal", "coupons", "customers", "payment-profiles", "portal-sessions", "subscription-groups", "subscriptions"];

export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: process.env.THROUGH_VERIFY_ALL ? ["**/*.test.ts"] : resources.map((folder) => `${folder}/**/*.test.ts`),
    globalSetup: ["./support/verified-mock-setup.ts"],
    typecheck: { enabled: false },
    exclude: ["node_modules/**", "cli/**", "docs/**", "verify/**"],
  },
});

import { fileURLToPath } from "node:url";
import { runVitestFixture } from "@billing-api/test-support/fixture-run";
import { describe, expect, test } from "vitest";

// The shared mock every package's tests start (@billing-api/test-support's mock-setup) keeps its
// request log out of `npm test`'s report unless asked for. Checked on a small fixture run
// (fixtures/quiet-mock/, one request), a vitest run of its own.
const config = fileURLToPath(new URL("./fixtures/quiet-mock/vitest.config.ts", import.meta.url));

describe("the shared mock's request log", () => {
  test("is not printed by default", () => {
    const { status, output } = runVitestFixture(config);
    expect(status).toBe(0);
    expect(output).toContain("1 passed");
    expect(output).not.toContain("/customers/150.json");
  });

  test("is printed with BILLING_MOCK_LOG=1", () => {
    const { status, output } = runVitestFixture(config, { BILLING_MOCK_LOG: "1" });
    expect(status).toBe(0);
    expect(output).toContain('mock {"method":"GET","path":"/customers/150.json","status":200');
  });
});

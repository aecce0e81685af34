import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";

// The shared mock every package's tests start (@billing-api/test-support's mock-setup) keeps its
// request log out of `npm test`'s report unless asked for. Checked on a small fixture run
// (fixtures/quiet-mock/, one request), a vitest run of its own.
const vitest = join(dirname(createRequire(import.meta.url).resolve("vitest/package.json")), "vitest.mjs");
const config = fileURLToPath(new URL("./fixtures/quiet-mock/vitest.config.ts", import.meta.url));
const runFixture = (env: Record<string, string> = {}) => {
  const result = spawnSync(process.execPath, [vitest, "run", "--configLoader", "runner", "--config", config], {
    encoding: "utf8",
    // A vitest run of its own: over a minute to start on a busy machine (84 s at a load average of 30).
    timeout: 300_000,
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0", ...env },
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
};

describe("the shared mock's request log", () => {
  test("is not printed by default", () => {
    const { status, output } = runFixture();
    expect(status).toBe(0);
    expect(output).toContain("1 passed");
    expect(output).not.toContain("/customers/150.json");
  });

  test("is printed with BILLING_MOCK_LOG=1", () => {
    const { status, output } = runFixture({ BILLING_MOCK_LOG: "1" });
    expect(status).toBe(0);
    expect(output).toContain('mock {"method":"GET","path":"/customers/150.json","status":200');
  });
});

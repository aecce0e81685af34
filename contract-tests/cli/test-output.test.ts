import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";

// `npm test`'s own report: its closing `N passed, N failed` line tells the truth when something
// fails outside a test, and the shared mock's request log stays out of it unless asked for. Both are
// checked on small fixture runs (support/fixtures/), each a vitest run of its own.
const vitest = join(dirname(createRequire(import.meta.url).resolve("vitest/package.json")), "vitest.mjs");
const fixture = (name: string) => fileURLToPath(new URL(`../support/fixtures/${name}/vitest.config.ts`, import.meta.url));
const runFixture = (name: string, env: Record<string, string> = {}) => {
  const result = spawnSync(process.execPath, [vitest, "run", "--configLoader", "runner", "--config", fixture(name)], {
    encoding: "utf8",
    // A vitest run of its own: over a minute to start on a busy machine (84 s at a load average of 30).
    timeout: 300_000,
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0", ...env },
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
};

describe("the closing summary line", () => {
  test("counts a throwing beforeAll or afterAll and a file that does not load as failures", () => {
    const { status, output } = runFixture("failing-outside-tests");
    expect(status).toBe(1);
    const lines = output.trimEnd().split("\n");
    expect(lines.at(-1)).toBe("2 passed, 3 failed, 2 skipped");
    expect(output).toContain("hooks.fixture.ts > a suite whose beforeAll throws: Error: the browser did not start");
    expect(output).toContain("hooks.fixture.ts > a suite whose afterAll throws: Error: the server did not close");
    expect(output).toContain("broken-import.fixture.ts: Error: this file does not load");
  });
});

describe("the shared mock's request log", () => {
  test("is not printed by default", () => {
    const { status, output } = runFixture("quiet-mock");
    expect(status).toBe(0);
    expect(output).toContain("1 passed");
    expect(output).not.toContain("/customers/150.json");
  });

  test("is printed with BILLING_MOCK_LOG=1", () => {
    const { status, output } = runFixture("quiet-mock", { BILLING_MOCK_LOG: "1" });
    expect(status).toBe(0);
    expect(output).toContain('mock {"method":"GET","path":"/customers/150.json","status":200');
  });
});

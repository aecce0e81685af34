import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";
import { runVitestFixture } from "../src/fixture-run.js";

// `npm test`'s closing `N passed, N failed, N skipped` line (scripts/test.mjs adds up the lines the
// summary reporter prints) must tell the truth when something fails outside a test. Checked on a
// small fixture run (fixtures/failing-outside-tests/), a vitest run of its own.
const config = fileURLToPath(new URL("./fixtures/failing-outside-tests/vitest.config.ts", import.meta.url));

test("counts a throwing beforeAll or afterAll and a file that does not load as failures", () => {
  const { status, output } = runVitestFixture(config);
  expect(status).toBe(1);
  expect(output.trimEnd().split("\n").at(-1)).toBe("2 passed, 3 failed, 2 skipped");
  expect(output).toContain("hooks.fixture.ts > a suite whose beforeAll throws: Error: the browser did not start");
  expect(output).toContain("hooks.fixture.ts > a suite whose afterAll throws: Error: the server did not close");
  expect(output).toContain("broken-import.fixture.ts: Error: this file does not load");
});

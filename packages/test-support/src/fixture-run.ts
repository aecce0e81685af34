import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const vitest = join(dirname(createRequire(import.meta.url).resolve("vitest/package.json")), "vitest.mjs");

/**
 * A vitest run of its own on a fixture config (tests of what a run prints): its exit status and its
 * output, stdout then stderr, without colours.
 */
export function runVitestFixture(config: string, env: Record<string, string> = {}): { status: number | null; output: string } {
  // --no-cache: vitest would write its results cache into the fixture's folder, under test/, which
  // is the package's test input for turbo: every run would then re-run the package's tests.
  const result = spawnSync(process.execPath, [vitest, "run", "--configLoader", "runner", "--no-cache", "--config", config], {
    encoding: "utf8",
    // A vitest run of its own: over a minute to start on a busy machine (84 s at a load average of 30).
    timeout: 300_000,
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0", ...env },
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

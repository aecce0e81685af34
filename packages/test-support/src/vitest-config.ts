import { defineConfig, mergeConfig, type ViteUserConfig } from "vitest/config";
import SummaryReporter from "./summary-reporter.js";
// What the shared-mock globalSetup provides (inject("mockUrl")), for every config that uses it.
import type {} from "./provided.js";

/**
 * The vitest config every package's tests start from: its tests in test/, the default report and
 * then the plain `N passed, N failed, N skipped` line (scripts/test.mjs adds these up for CI), two
 * workers, and generous timeouts.
 */
export const baseTestConfig = defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["**/node_modules/**", "**/fixtures/**"],
    reporters: ["default", new SummaryReporter()],
    // Two cores: more workers only add start-up time. One when `npm test` runs more packages' tests
    // at once than there are cores (BILLING_TEST_WORKERS, from test-workers.mjs): the packages fill them.
    maxWorkers: Number(process.env.BILLING_TEST_WORKERS) || 2,
    // A worker keeps the modules it loaded from one test file to the next: the bundled document, its
    // compiled schemas, Prism's operations and the built packages load once per worker, not once per
    // file (most of the time a file took). Test files themselves still run fresh; state that must
    // not outlive a file is dropped in a setupFile (namespace-cleanup.ts), not at import.
    isolate: false,
    // Two cores shared by several engineers: a test that spawns a process can wait its turn for
    // seconds, and Chromium (a beforeAll) longer. Generous, so a busy machine is never a failure;
    // speed is for the benchmarks. (At a load average of 35, linting two broken copies of the spec
    // took 131 s.)
    testTimeout: 180_000,
    hookTimeout: 300_000,
    // expect.poll waits 1 s by default: a browser rendering on a busy machine takes longer.
    expect: { poll: { timeout: 30_000 } },
    // The workspace's built packages (packages/*/dist, generators/dist) are imported by Node itself, as
    // a consumer imports them, not transformed again by Vite in every worker and project: one copy of
    // each module per process, so a globalSetup's mock and a test's share what they loaded.
    server: { deps: { external: [/\/packages\/[^/]+\/dist\//, /\/generators\/dist\//] } },
    // Type tests (*.test-d.ts, where a package enables them) are checked by TypeScript's native
    // compiler (tsgo): the same checks in about a third of tsc 5.9's CPU time (the client's: 2.7 s
    // against 7.5 s). Builds and the consumer matrix stay on the pinned tsc.
    typecheck: { checker: "tsgo" },
  },
});

/** The base config with a package's own settings on top (a globalSetup, a typecheck, more includes). */
export function testConfig(own: ViteUserConfig = {}): ViteUserConfig {
  return mergeConfig(baseTestConfig, own);
}

/** The shared-mock globalSetup (mock-setup.ts), for a config's `globalSetup`. */
export const sharedMockSetup = new URL("./mock-setup.ts", import.meta.url).pathname;

/** The setupFile that drops each test file's stateful-mock namespaces (namespace-cleanup.ts). */
export const namespaceCleanup = new URL("./namespace-cleanup.ts", import.meta.url).pathname;

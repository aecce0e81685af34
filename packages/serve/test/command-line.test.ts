import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, onTestFinished, test } from "vitest";

// Every command a newcomer runs says how to use it and its version, refuses bad options without a
// stack trace, all before loading anything heavy (Prism, openapi-typescript, Redocly), and explains
// a busy port in one line. How fast it answers is measured by scripts/bench-cli.mjs, not here: a
// timing assertion would fail on a busy machine. What it loads first is the deterministic check.
const bin = (path: string) => fileURLToPath(new URL(`../../../${path}`, import.meta.url));
const commands = {
  "billing-mock": bin("packages/mock/bin/billing-mock.js"),
  "billing-docs": bin("packages/docs/bin/billing-docs.js"),
  "billing-serve": bin("packages/serve/bin/billing-serve.js"),
  "billing-generate-types": bin("generators/bin/billing-generate-types.js"),
  "billing-generate-samples": bin("generators/bin/billing-generate-samples.js"),
  "billing-spec": bin("packages/spec/cli.js"),
  "billing-release-check": bin("packages/release/bin/billing-release-check.js"),
  "billing-release-version": bin("packages/release/bin/billing-release-version.js"),
};
// The one helper every command shares; it loads only Node's built-ins (see cli-kit.test.ts).
const cliKit = bin("packages/cli-kit/dist/");
const recordImports = fileURLToPath(new URL("./support/record-imports.mjs", import.meta.url));
const run = (command: string, args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [command, ...args], { encoding: "utf8", timeout: 170_000, env: { ...process.env, ...env } });

/** A command's run with `args`: its exit status, its output, and the modules it imported, in order. */
function recordedRun(command: string, args: string[]) {
  const dir = mkdtempSync(join(tmpdir(), "cli-imports-"));
  try {
    const file = join(dir, "imports.txt");
    const result = spawnSync(process.execPath, ["--import", recordImports, command, ...args], {
      encoding: "utf8",
      timeout: 170_000,
      env: { ...process.env, RECORD_IMPORTS_FILE: file },
    });
    const imports = readFileSync(file, "utf8").trim().split("\n").map((url) => fileURLToPath(url));
    return { status: result.status, stdout: result.stdout, stderr: result.stderr, imports };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// One run per command and flag, recorded, for both what it says and what it loaded before saying
// it: the import record changes neither (a spawned node costs a quarter of a second of CPU here).
const runs = new Map<string, ReturnType<typeof recordedRun>>();
function runOnce(command: string, flag: string) {
  const key = `${command} ${flag}`;
  if (!runs.has(key)) runs.set(key, recordedRun(command, [flag]));
  return runs.get(key)!;
}

describe.each(Object.entries(commands))("%s", (name, command) => {
  test("--help prints the usage and exits 0", () => {
    const result = runOnce(command, "--help");
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^Usage: ${name} `));
  });

  test("--version prints the package's version and exits 0", () => {
    const result = runOnce(command, "--version");
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  test("an unknown option prints what is wrong and the usage, exit 2, no stack trace", () => {
    const result = runOnce(command, "--bogus");
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`${name}: Unknown option '--bogus'`);
    expect(result.stderr).toContain(`Usage: ${name} `);
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });

  test.each([["--help"], ["--version"], ["--bogus"]])("%s answers before importing anything but the command itself", (flag) => {
    const loaded = runOnce(command, flag).imports;
    // The committed shim (bin/*.js), the command's own module and @billing-api/cli-kit: nothing
    // else from node_modules, no server, no generator.
    expect(loaded.length).toBeGreaterThan(0);
    const own = /[\\/](dist[\\/])?(cli|cli-(check|version)|generate-(types|samples)-cli)\.js$/;
    expect(loaded.filter((file) => file !== command && !own.test(file) && !file.startsWith(cliKit))).toEqual([]);
  });
});

test("the import record sees a heavy import when there is one (so the check above can fail)", () => {
  const loaded = recordedRun(commands["billing-generate-types"], ["--input", "/nonexistent.json", "--output", "/nonexistent/out.ts"]).imports;
  expect(loaded.some((file) => file.includes("node_modules") && file.includes("openapi-typescript"))).toBe(true);
});

describe("a busy port", () => {
  let blocker: Server;
  let busy: number;
  beforeAll(async () => {
    blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    busy = (blocker.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => blocker.close(() => resolve())));

  test("npm start's server says which port, whose, and how to choose another, in one line", () => {
    const result = run(commands["billing-serve"], [], { BILLING_MOCK_PORT: String(busy), BILLING_DOCS_PORT: "0" });
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split("\n")).toEqual([
      `billing-serve: port ${busy} on 127.0.0.1 is already in use (the mock); free it or choose another: BILLING_MOCK_PORT=${busy + 10} npm start`,
    ]);
  });

  test.each(["billing-mock", "billing-docs"] as const)("%s says so in one line", (name) => {
    const result = run(commands[name], ["--port", String(busy)]);
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe(`${name}: port ${busy} on 127.0.0.1 is already in use; choose another with --port.`);
  });
});

describe("npm start's server", () => {
  test("serves the mock and the docs, and SIGTERM stops both and ends the process", async () => {
    const child = spawn(process.execPath, [commands["billing-serve"], "--quiet"], {
      env: { ...process.env, BILLING_MOCK_PORT: "0", BILLING_DOCS_PORT: "0" },
    });
    // A failed assertion must not leave the servers running after the test.
    onTestFinished(() => void (child.exitCode === null && child.kill("SIGKILL")));
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    await expect.poll(() => output, { timeout: 60_000 }).toContain("Ctrl-C stops both.");
    // A few lines that say what is served and where, and how to try it.
    const mockUrl = /^Billing API mock +(http:\/\/127\.0\.0\.1:\d+) +try: curl -u my-api-key:x \1\/customers\/150\.json$/m.exec(output)?.[1];
    const docsUrl = /^Billing API reference +(http:\/\/127\.0\.0\.1:\d+)\/ /m.exec(output)?.[1];
    expect(mockUrl).toBeDefined();
    expect(docsUrl).toBeDefined();
    expect(output.trim().split("\n")).toHaveLength(3);
    const link = await fetch(`${mockUrl}/customers/150.json`, { headers: { authorization: `Basic ${btoa("k:x")}` } });
    expect(link.status).toBe(200);
    expect((await fetch(`${docsUrl}/`)).status).toBe(200);

    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    await expect(fetch(`${mockUrl}/`)).rejects.toThrow();
  }, 120_000);
});

import { spawn, spawnSync } from "node:child_process";
import { createServer, type Server } from "node:net";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

// Every command a newcomer runs says how to use it, refuses bad options without a stack trace, and
// explains a busy port in one line.
const bin = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));
const commands = {
  "billing-mock": bin("packages/mock/bin/billing-mock.js"),
  "billing-docs": bin("packages/docs/bin/billing-docs.js"),
  "billing-serve": bin("packages/serve/bin/billing-serve.js"),
  "billing-generate-types": bin("generators/bin/billing-generate-types.js"),
};
const run = (command: string, args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [command, ...args], { encoding: "utf8", timeout: 30_000, env: { ...process.env, ...env } });

describe.each(Object.entries(commands))("%s", (name, command) => {
  test("--help prints the usage and exits 0", () => {
    const result = run(command, ["--help"]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^Usage: ${name} `));
  });

  test("an unknown option prints what is wrong and the usage, exit 2, no stack trace", () => {
    const result = run(command, ["--bogus"]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`${name}: Unknown option '--bogus'`);
    expect(result.stderr).toContain(`Usage: ${name} `);
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });
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
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    await expect.poll(() => output, { timeout: 15_000 }).toContain("Ctrl-C stops both.");
    const [mockUrl, docsUrl] = [...output.matchAll(/http:\/\/127\.0\.0\.1:\d+/g)].map((match) => match[0]);
    const link = await fetch(`${mockUrl}/portal/customers/150/management_link.json`, { headers: { authorization: `Basic ${btoa("k:x")}` } });
    expect(link.status).toBe(200);
    expect((await fetch(`${docsUrl}/`)).status).toBe(200);

    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    await expect(fetch(`${mockUrl}/`)).rejects.toThrow();
  }, 30_000);
});

import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Command, isHost, listen, listenFailure, portNumber } from "@billing-api/cli-kit";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test, vi } from "vitest";

// The helper behind every command line (billing-mock, -docs, -serve, -verify, the generators, the
// release steps): what it prints, the exit status it sets and what it loads. The commands themselves
// are run as a user runs them in command-line.test.ts.

const usage = "Usage: billing-demo [--port 4010] [--host 127.0.0.1]\n\nServes a demo.";
const options = {
  port: { type: "string", default: "4010" },
  host: { type: "string", default: "127.0.0.1" },
  quiet: { type: "boolean", default: false },
} as const;

let dir: string;
let packageJson: URL;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "cli-kit-"));
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "demo", version: "9.8.7" }));
  packageJson = pathToFileURL(join(dir, "package.json"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let out: string[];
let err: string[];
beforeEach(() => {
  out = [];
  err = [];
  vi.spyOn(console, "log").mockImplementation((line: unknown) => void out.push(String(line)));
  vi.spyOn(console, "error").mockImplementation((line: unknown) => void err.push(String(line)));
  process.exitCode = undefined;
});
afterEach(() => {
  vi.restoreAllMocks();
  // The helper sets the exit status of the process it runs in: never let a test leave one behind.
  process.exitCode = undefined;
});

const demo = (extra: { onMistake?: "usage" | "hint" } = {}) => new Command({ name: "billing-demo", usage, options, packageJson, ...extra });

describe("read", () => {
  test("--help and -h print the usage and answer exit status 0, doing nothing else", () => {
    for (const flag of ["--help", "-h"]) {
      out = [];
      expect(demo().read([flag, "--port", "not-a-port"])).toBeUndefined();
      expect(out).toEqual([usage]);
      expect(process.exitCode).toBe(0);
    }
    expect(err).toEqual([]);
  });

  test("--version prints the calling package's version", () => {
    expect(demo().read(["--version"])).toBeUndefined();
    expect(out).toEqual(["9.8.7"]);
    expect(process.exitCode).toBe(0);
  });

  test("a table's own --version entry wins (billing-verify's -v)", () => {
    const command = new Command({ name: "billing-demo", usage, options: { version: { type: "boolean", short: "v", default: false } }, packageJson });
    expect(command.read(["-v"])).toBeUndefined();
    expect(out).toEqual(["9.8.7"]);
  });

  test("an unknown option: the command's name, parseArgs's words, the usage; exit status 2", () => {
    expect(demo().read(["--bogus"])).toBeUndefined();
    expect(err).toEqual([`billing-demo: Unknown option '--bogus'\n\n${usage}`]);
    expect(out).toEqual([]);
    expect(process.exitCode).toBe(2);
  });

  test("a command with a long usage points at --help instead of repeating it", () => {
    expect(demo({ onMistake: "hint" }).read(["--port"])).toBeUndefined();
    expect(err).toEqual(["billing-demo: Option '--port <value>' argument missing\nRun billing-demo --help for usage."]);
    expect(process.exitCode).toBe(2);
  });

  test("positionals are a mistake unless the command takes them", () => {
    expect(demo().read(["serve"])).toBeUndefined();
    expect(err[0]).toMatch(/^billing-demo: Unexpected argument 'serve'/);
    const command = new Command({ name: "billing-demo", usage, options, packageJson, allowPositionals: true });
    expect(command.read(["serve", "--quiet"])?.positionals).toEqual(["serve"]);
  });

  test("otherwise it returns the values, defaults filled in, and leaves the exit status alone", () => {
    const parsed = demo().read(["--port", "0", "--quiet"]);
    expect(parsed?.values).toEqual({ port: "0", host: "127.0.0.1", quiet: true, help: false, version: false });
    expect(process.exitCode).toBeUndefined();
    expect([...out, ...err]).toEqual([]);
  });
});

describe("ports and hosts", () => {
  test("a port is a whole number from 0 to 65535, written as digits", () => {
    expect(["0", "80", "4010", "65535"].map(portNumber)).toEqual([0, 80, 4010, 65535]);
    for (const text of ["65536", "-1", "1e3", "", " 80", "80.0", "0x10", "4010a", "999999"]) expect(portNumber(text), text).toBeUndefined();
  });

  test("a bad port is refused with the option that gave it, exit status 2, no usage", () => {
    expect(demo().port("99999")).toBeUndefined();
    expect(demo().port("x", "--mock-port (or BILLING_MOCK_PORT)")).toBeUndefined();
    expect(err).toEqual([
      "billing-demo: --port must be a whole number from 0 to 65535, got 99999",
      "billing-demo: --mock-port (or BILLING_MOCK_PORT) must be a whole number from 0 to 65535, got x",
    ]);
    expect(process.exitCode).toBe(2);
    expect(demo().port("4010")).toBe(4010);
  });

  test("a host is an IP address or a DNS name; not empty (every interface), not a URL, not host:port", () => {
    for (const host of ["127.0.0.1", "::1", "0.0.0.0", "localhost", "mock.internal", "my_box.local", "fe80::1%eth0"]) expect(isHost(host), host).toBe(true);
    for (const host of ["", " ", "http://127.0.0.1", "127.0.0.1:4010", "a b", "-x", "x/y", "[::1]", `${"a".repeat(64)}.com`]) expect(isHost(host), host).toBe(false);
    expect(demo().host("http://localhost")).toBeUndefined();
    expect(err).toEqual(['billing-demo: --host must be a host name or an IP address such as 127.0.0.1, got "http://localhost"']);
    expect(process.exitCode).toBe(2);
  });

  test("address() checks --port, then --host, and refuses only the first that is wrong", () => {
    expect(demo().address({ port: "0", host: "::1" })).toEqual({ port: 0, host: "::1" });
    expect(err).toEqual([]);
    expect(demo().address({ port: "-1", host: "" })).toBeUndefined();
    expect(demo().address({ port: "4010", host: "" })).toBeUndefined();
    expect(err).toEqual(["billing-demo: --port must be a whole number from 0 to 65535, got -1", 'billing-demo: --host must be a host name or an IP address such as 127.0.0.1, got ""']);
    expect(process.exitCode).toBe(2);
  });

  test("a hint-style command adds its hint under a bad value too", () => {
    expect(demo({ onMistake: "hint" }).port("70000")).toBeUndefined();
    expect(err).toEqual(["billing-demo: --port must be a whole number from 0 to 65535, got 70000\nRun billing-demo --help for usage."]);
  });
});

describe("serve", () => {
  let blocker: Server;
  let busy: number;
  beforeAll(async () => {
    blocker = createServer();
    await listen(blocker, 0, "127.0.0.1");
    busy = (blocker.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => blocker.close(() => resolve())));

  /** A server as the CLIs start one: listen() and a close() that resolves. */
  const start = (port: number) => async () => {
    const server = createServer();
    const url = await listen(server, port, "127.0.0.1");
    return { url, server, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
  };

  test("a busy port is one line that says which and how to choose another; exit status 1", async () => {
    expect(await demo().serve({ port: busy, host: "127.0.0.1" }, start(busy))).toBeUndefined();
    expect(err).toEqual([`billing-demo: port ${busy} on 127.0.0.1 is already in use; choose another with --port.`]);
    expect(process.exitCode).toBe(1);
  });

  test("a port this user may not open is one line too", async () => {
    const denied = Object.assign(new Error("listen EACCES: permission denied 127.0.0.1:80"), { code: "EACCES" });
    expect(await demo().serve({ port: 80, host: "127.0.0.1" }, () => Promise.reject(denied))).toBeUndefined();
    expect(err).toEqual(["billing-demo: port 80 on 127.0.0.1 needs privileges this user does not have (ports below 1024 usually do); choose another with --port."]);
    expect(process.exitCode).toBe(1);
  });

  test("any other failure to start is its message after the command's name", async () => {
    expect(await demo().serve({ port: 0, host: "127.0.0.1" }, () => Promise.reject(new Error("dist/index.html is missing")))).toBeUndefined();
    expect(err).toEqual(["billing-demo: dist/index.html is missing"]);
    expect(listenFailure(Object.assign(new Error("x"), { code: "ENOENT" }), 1, "h")).toBeUndefined();
    expect(listenFailure(undefined, 1, "h")).toBeUndefined();
  });

  test("a started server is returned and closed by SIGINT or SIGTERM, so the process can end", async () => {
    const before = { SIGINT: process.listeners("SIGINT"), SIGTERM: process.listeners("SIGTERM") };
    const started = await demo().serve({ port: 0, host: "127.0.0.1" }, start(0));
    expect(started?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(process.exitCode).toBeUndefined();
    const added = (signal: "SIGINT" | "SIGTERM") => process.listeners(signal).filter((listener) => !before[signal].includes(listener));
    expect(added("SIGINT")).toHaveLength(1);
    expect(added("SIGTERM")).toHaveLength(1);
    // Call the handler rather than send a signal: the test runner has its own.
    added("SIGTERM")[0]!("SIGTERM");
    await vi.waitFor(() => expect(started!.server.listening).toBe(false));
    for (const signal of ["SIGINT", "SIGTERM"] as const) for (const listener of added(signal)) process.off(signal, listener);
  });
});

test("importing the helper loads nothing but its own modules and Node's built-ins", () => {
  const record = mkdtempSync(join(tmpdir(), "cli-kit-imports-"));
  try {
    const file = join(record, "imports.txt");
    const result = spawnSync(process.execPath, ["--import", fileURLToPath(new URL("./support/record-imports.mjs", import.meta.url)), "--input-type=module", "-e", 'await import("@billing-api/cli-kit")'], {
      cwd: fileURLToPath(new URL("..", import.meta.url)),
      encoding: "utf8",
      timeout: 60_000,
      env: { ...process.env, RECORD_IMPORTS_FILE: file },
    });
    expect(result.status, result.stderr).toBe(0);
    const loaded = readFileSync(file, "utf8").trim().split("\n").map((url) => fileURLToPath(url));
    const kit = fileURLToPath(new URL("../../cli-kit/dist/", import.meta.url));
    expect(loaded.length).toBeGreaterThan(0);
    expect(loaded.filter((path) => !path.startsWith(kit))).toEqual([]);
  } finally {
    rmSync(record, { recursive: true, force: true });
  }
});

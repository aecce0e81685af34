import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

// What a team installs: the published tarball of @billing-api/client, checked as npm would pack it.
const run = promisify(execFile);
const clientDir = resolve(import.meta.dirname, "../../packages/client");
const bin = (name: string) => resolve(import.meta.dirname, "../../node_modules/.bin", name);
const kB = 1024;

/** The gzipped size of what a bundler keeps of `entry` (minified, tree-shaken, openapi-fetch included). */
async function gzippedBundle(entry: string): Promise<number> {
  const result = await build({
    stdin: { contents: entry, resolveDir: import.meta.dirname, loader: "ts" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "neutral",
    write: false,
    logLevel: "silent",
  });
  return gzipSync(result.outputFiles[0]!.contents, { level: 9 }).length;
}

describe("client packaging", () => {
  let packDir: string;
  let tarball: string;
  let files: string[];

  beforeAll(async () => {
    packDir = await mkdtemp(join(tmpdir(), "billing-client-pack-"));
    const { stdout } = await run("npm", ["pack", "--json", "--pack-destination", packDir], { cwd: clientDir });
    const [packed] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
    tarball = join(packDir, packed!.filename);
    files = packed!.files.map((file) => file.path);
  }, 60_000);
  afterAll(() => rm(packDir, { recursive: true, force: true }));

  test("the tarball holds the built ESM with its types, the README and the LICENSE, and nothing else", () => {
    expect(files).toEqual(expect.arrayContaining(["README.md", "LICENSE", "package.json", "dist/index.js", "dist/index.d.ts", "dist/core.js", "dist/core.d.ts"]));
    expect(files.filter((file) => !file.startsWith("dist/") && !["README.md", "LICENSE", "package.json"].includes(file))).toEqual([]);
  });

  test("no runtime dependency beyond openapi-fetch", async () => {
    const manifest = JSON.parse(await readFile(join(clientDir, "package.json"), "utf8")) as { dependencies: Record<string, string> };
    expect(Object.keys(manifest.dependencies)).toEqual(["openapi-fetch"]);
    const sources = await Promise.all(files.filter((file) => file.endsWith(".js")).map((file) => readFile(join(clientDir, file), "utf8")));
    const imported = new Set(sources.flatMap((source) => [...source.matchAll(/\bfrom\s+"([^"]+)"/g)].map((match) => match[1]!)).filter((specifier) => !specifier.startsWith(".")));
    expect([...imported]).toEqual(["openapi-fetch"]);
  });

  test("publint finds nothing, warnings included", async () => {
    const { stdout } = await run(bin("publint"), ["--strict", clientDir]);
    expect(stdout).toMatch(/All good!/);
  }, 60_000);

  test("Are the types wrong? reports no problem for ESM consumers", async () => {
    // Exits non-zero on any problem; the ESM-only profile skips the CommonJS resolutions we do not ship.
    const { stdout } = await run(bin("attw"), [tarball, "--profile", "esm-only", "--format", "ascii"]);
    expect(stdout.match(/node16 \(from ESM\): 🟢 \(ESM\)/g)).toHaveLength(2); // "." and "./core"
    expect(stdout.match(/bundler: 🟢/g)?.length).toBeGreaterThanOrEqual(2);
  }, 60_000);

  test("size budget: the whole client with every operation <= 6 kB gzip, its core <= 4 kB", async () => {
    const whole = await gzippedBundle(`export { createBillingClient } from "@billing-api/client";`);
    const core = await gzippedBundle(`export { createBillingCoreClient } from "@billing-api/client/core";`);
    expect(whole, `whole client: ${whole} B gzip`).toBeLessThanOrEqual(6 * kB);
    expect(core, `core: ${core} B gzip`).toBeLessThanOrEqual(4 * kB);
    expect(whole - core, "the operation table is in the whole client").toBeGreaterThan(500);
  });
});


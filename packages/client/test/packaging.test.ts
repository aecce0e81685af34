import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { beforeAll, describe, expect, test } from "vitest";

// What a team installs, the client's own part: its files, its one dependency and its size. What every
// public package shares (README, LICENSE, metadata, publint, attw, installing and compiling the
// tarballs in an empty project) is in packaging/packages.test.ts.
const run = promisify(execFile);
const clientDir = resolve(import.meta.dirname, "..");
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
  let files: string[];

  beforeAll(async () => {
    const { stdout } = await run("npm", ["pack", "--dry-run", "--json"], { cwd: clientDir, timeout: 60_000 });
    const [packed] = JSON.parse(stdout) as { files: { path: string }[] }[];
    files = packed!.files.map((file) => file.path);
  }, 60_000);

  test("the tarball holds the built ESM with its types, the README, the LICENSE and the CHANGELOG, and nothing else", () => {
    const documents = ["README.md", "LICENSE", "CHANGELOG.md", "package.json"];
    expect(files).toEqual(expect.arrayContaining([...documents, "dist/index.js", "dist/index.d.ts", "dist/core.js", "dist/core.d.ts"]));
    expect(files.filter((file) => !file.startsWith("dist/") && !documents.includes(file))).toEqual([]);
  });

  test("no runtime dependency beyond openapi-fetch", async () => {
    const manifest = JSON.parse(await readFile(join(clientDir, "package.json"), "utf8")) as { dependencies: Record<string, string> };
    expect(Object.keys(manifest.dependencies)).toEqual(["openapi-fetch"]);
    const sources = await Promise.all(files.filter((file) => file.endsWith(".js")).map((file) => readFile(join(clientDir, file), "utf8")));
    const imported = new Set(sources.flatMap((source) => [...source.matchAll(/\bfrom\s+"([^"]+)"/g)].map((match) => match[1]!)).filter((specifier) => !specifier.startsWith(".")));
    expect([...imported]).toEqual(["openapi-fetch"]);
  });

  test("size budget: the whole client with every operation <= 6 kB gzip, its core <= 4 kB", async () => {
    const whole = await gzippedBundle(`export { createBillingClient } from "@billing-api/client";`);
    const core = await gzippedBundle(`export { createBillingCoreClient } from "@billing-api/client/core";`);
    expect(whole, `whole client: ${whole} B gzip`).toBeLessThanOrEqual(6 * kB);
    expect(core, `core: ${core} B gzip`).toBeLessThanOrEqual(4 * kB);
    expect(whole - core, "the operation table is in the whole client").toBeGreaterThan(500);
  });
});


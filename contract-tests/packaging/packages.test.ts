import { execFile } from "node:child_process";
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { scratchProject } from "../support/scratch-project.js";

// What a consumer installs is what we test: every public package packed as npm would publish it,
// checked for completeness, publint and attw, then installed from the tarballs into an empty project
// (offline: dependencies from npm's cache) where a consumer file compiles under NodeNext, Bundler and
// CommonJS with skipLibCheck off, and one call goes through the installed client to the installed mock.
const run = promisify(execFile);
const root = resolve(import.meta.dirname, "../..");
const bin = (name: string) => join(root, "node_modules/.bin", name);
const tsc = join(root, "node_modules/typescript/bin/tsc");
const offline = { ...process.env, npm_config_offline: "true", npm_config_audit: "false", npm_config_fund: "false", npm_config_update_notifier: "false" };

interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  description?: string;
  license?: string;
  keywords?: string[];
  homepage?: string;
  repository?: { type: string; url: string; directory: string };
  engines?: { node?: string };
  main?: string;
  types?: string;
  bin?: Record<string, string>;
  exports?: Record<string, string | { types?: string; default: string }>;
}
interface Packed {
  dir: string;
  manifest: Manifest;
  tarball: string;
  files: string[];
}

const workspaces = (JSON.parse(await readFile(join(root, "package.json"), "utf8")) as { workspaces: string[] }).workspaces;
const publicPackages = (
  await Promise.all(workspaces.map(async (dir) => ({ dir, manifest: JSON.parse(await readFile(join(root, dir, "package.json"), "utf8")) as Manifest })))
).filter(({ manifest }) => !manifest.private);

let packDir: string;
const packed = new Map<string, Packed>();

beforeAll(async () => {
  packDir = await mkdtemp(join(tmpdir(), "billing-pack-"));
  for (const { dir, manifest } of publicPackages) {
    const { stdout } = await run("npm", ["pack", "--json", "--pack-destination", packDir], { cwd: join(root, dir), env: offline, timeout: 120_000 });
    const [result] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
    packed.set(manifest.name, { dir, manifest, tarball: join(packDir, result!.filename), files: result!.files.map((file) => file.path) });
  }
}, 300_000);
afterAll(() => rm(packDir, { recursive: true, force: true }));

test("the public packages are the spec, the client, the mock and the docs (and any new public workspace)", () => {
  expect(publicPackages.map(({ manifest }) => manifest.name)).toEqual(expect.arrayContaining(["@billing-api/spec", "@billing-api/client", "@billing-api/mock", "@billing-api/docs"]));
});

describe.each(publicPackages.map(({ manifest }) => manifest.name))("%s, as published", (name) => {
  const get = () => packed.get(name)!;

  test("the tarball has a README (what, install, example), the LICENSE and the CHANGELOG", async () => {
    const { dir, files } = get();
    expect(files).toEqual(expect.arrayContaining(["package.json", "README.md", "LICENSE", "CHANGELOG.md"]));
    const readme = await readFile(join(root, dir, "README.md"), "utf8");
    expect(readme.split("\n")[0]).toBe(`# ${name}`);
    const install = readme.slice(readme.indexOf("## Install"));
    expect(install, "an Install section with the npm command").toMatch(/^## Install\n\n```sh\nnpm install (--save-dev )?@billing-api\/[^\n]*\n```/);
    expect(install.split("\n")[3]).toContain(name);
    expect(readme, "an example in TypeScript (compiled by docs/readme-snippets.test.ts)").toMatch(/^```ts\n/m);
    expect(await readFile(join(root, dir, "LICENSE"), "utf8")).toBe(await readFile(join(root, "LICENSE"), "utf8"));
  });

  test("nothing from src/, tests, benchmarks, test output or configuration", () => {
    const stray = get().files.filter((file) => /^(src|test|tests|bench|contract-tests)\/|\.test\.|\.test-d\.|^tsconfig|screenshots\/|\.tsbuildinfo$|\.map$/.test(file));
    expect(stray).toEqual([]);
  });

  test("every file package.json points to is in the tarball", () => {
    const { manifest, files } = get();
    const targets = [manifest.main, manifest.types, ...Object.values(manifest.bin ?? {}), ...Object.values(manifest.exports ?? {}).flatMap((target) => (typeof target === "string" ? [target] : [target.types, target.default]))];
    const missing = targets.filter((target): target is string => Boolean(target)).map((target) => target.replace(/^\.\//, "")).filter((target) => !files.includes(target));
    expect(missing).toEqual([]);
  });

  test("repository, homepage, keywords, engines, license and description are set", () => {
    const { manifest, dir } = get();
    expect(manifest.repository).toEqual({ type: "git", url: publicPackages[0]!.manifest.repository?.url, directory: dir });
    expect(manifest.repository?.url).toMatch(/^git\+https:\/\/.+\.git$/);
    expect(manifest.homepage).toMatch(new RegExp(`^https://.+/${dir}#readme$`));
    expect(manifest.keywords?.length).toBeGreaterThanOrEqual(3);
    expect(manifest.engines).toEqual({ node: ">=20.19" });
    expect(manifest.license).toBe("MIT");
    expect(manifest.description?.length).toBeGreaterThan(20);
    // CommonJS consumers (node10 resolution) read these, not `exports`.
    expect(manifest.types).toMatch(/\.d\.ts$/);
    expect(manifest.main).toMatch(/\.js$/);
  });

  test("publint --strict finds nothing in the tarball", async () => {
    const { stdout } = await run(bin("publint"), ["run", "--strict", get().tarball], { env: offline, timeout: 120_000 });
    expect(stdout).toMatch(/All good!/);
  }, 120_000);

  test("Are the types wrong? (esm-only) finds no problem in any module entry point", async () => {
    const { manifest, tarball } = get();
    // Files exported as assets (the YAML document, the HTML page) are not modules and have no types.
    const assets = Object.entries(manifest.exports ?? {}).filter(([, target]) => typeof target === "string" && !/\.(js|json)$/.test(target)).map(([entry]) => entry);
    // attw exits non-zero on any problem the profile does not ignore (it ignores CommonJS `require`).
    const { stdout } = await run(bin("attw"), [tarball, "--profile", "esm-only", "--format", "ascii", ...(assets.length ? ["--exclude-entrypoints", ...assets] : [])], { timeout: 120_000 });
    expect(stdout).toMatch(/node16 \(from ESM\): 🟢/);
    expect(stdout).toMatch(/bundler: 🟢/);
  }, 120_000);
});

describe("installed from the tarballs into an empty project, offline", () => {
  let project: string;

  beforeAll(async () => {
    project = join(packDir, "consumer");
    await mkdir(project);
    const rootLock = JSON.parse(await readFile(join(root, "package-lock.json"), "utf8"));
    const { manifest, lockfile } = scratchProject(rootLock, [...packed.values()].map(({ dir, manifest, tarball }) => ({ name: manifest.name, dir, tarball: `../${tarball.split("/").pop()}` })));
    await writeFile(join(project, "package.json"), JSON.stringify(manifest, null, 2));
    await writeFile(join(project, "package-lock.json"), JSON.stringify(lockfile, null, 2));
    await run("npm", ["ci", "--offline", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"], { cwd: project, env: offline, timeout: 240_000 });
    await copyFile(join(import.meta.dirname, "consumer.ts"), join(project, "consumer.ts"));
  }, 300_000);

  test("each package is its tarball, not a link to this repository", async () => {
    for (const { manifest } of packed.values()) {
      const installed = JSON.parse(await readFile(join(project, "node_modules", manifest.name, "package.json"), "utf8")) as Manifest;
      expect(installed.version).toBe(manifest.version);
    }
    const { stdout } = await run("npm", ["ls", "--all", "--parseable"], { cwd: project, env: offline, timeout: 60_000 });
    expect(stdout).not.toContain(root + "/packages");
  }, 60_000);

  const settings = {
    NodeNext: { module: "NodeNext", moduleResolution: "NodeNext" },
    Bundler: { module: "Preserve", moduleResolution: "Bundler" },
    CommonJS: { module: "CommonJS", moduleResolution: "Node10", esModuleInterop: true },
  };

  // NodeNext also emits, for the run below: one compile fewer on a busy machine.
  test.concurrent.each(Object.keys(settings) as (keyof typeof settings)[])("the consumer file compiles under %s with skipLibCheck off", async (name) => {
    const emit = name === "NodeNext" ? { outDir: "out" } : { noEmit: true };
    // skipLibCheck off checks every declaration file the consumer reaches: ours and our dependencies'.
    // TypeScript's own lib files are left to TypeScript (skipDefaultLibCheck), which saves a second.
    const compilerOptions = { ...settings[name], target: "ES2022", lib: ["ES2023", "DOM"], types: [], strict: true, skipLibCheck: false, skipDefaultLibCheck: true, ...emit };
    const config = { compilerOptions, files: ["consumer.ts"] };
    await writeFile(join(project, `tsconfig.${name}.json`), JSON.stringify(config, null, 2));
    const result = await run(process.execPath, [tsc, "-p", `tsconfig.${name}.json`], { cwd: project, timeout: 180_000 }).catch((error: { stdout: string }) => error);
    expect(result.stdout).toBe("");
  }, 180_000);

  test("one call goes through the installed client to the installed mock (the NodeNext build, run)", async () => {
    const { stdout } = await run(process.execPath, ["out/consumer.js"], { cwd: project, timeout: 120_000 });
    expect(stdout.trim().split("\n")).toEqual([
      "customer 150 Martha",
      "refusal 422",
      "without bodies 200 200 200 200",
      expect.stringMatching(/^customers [1-9]\d*$/),
      "link yes",
      "self-service true",
      "redirect true",
      "missing 404",
      "files openapi.json index.html",
      "network-error-class function",
    ]);
  }, 120_000);
});

import { execFile } from "node:child_process";
import { copyFile, mkdir, mkdtemp, readFile, realpath, rm, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { checkPackage, createPackageFromTarballData } from "@arethetypeswrong/core";
import { problemAffectsResolutionKind, problemKindInfo } from "@arethetypeswrong/core/problems";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { publint } from "publint";
import ts from "typescript";
import { formatMessage } from "publint/utils";
import { scratchRoot } from "../support/scratch-dir.js";
import { scratchProject } from "../support/scratch-project.js";

// What a consumer installs is what we test: every public package packed as npm would publish it,
// checked for completeness, publint and attw (both in this process, from their libraries: one
// TypeScript load for every package instead of one process each), then installed from the tarballs into an empty project
// (offline: dependencies from npm's cache) where a consumer file compiles under NodeNext, Bundler and
// CommonJS with skipLibCheck off, and one call goes through the installed client to the installed mock.
const run = promisify(execFile);
const root = resolve(import.meta.dirname, "../..");
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
/** The consumer project, installed from the tarballs: started as soon as they are packed. */
let installing: Promise<string>;

/** An empty project that installs every tarball (offline: dependencies from npm's cache), and the consumer file. */
async function installConsumer(): Promise<string> {
  const project = join(packDir, "consumer");
  await mkdir(project);
  const rootLock = JSON.parse(await readFile(join(root, "package-lock.json"), "utf8"));
  const { manifest, lockfile } = scratchProject(rootLock, [...packed.values()].map(({ dir, manifest, tarball }) => ({ name: manifest.name, dir, tarball: `../${tarball.split("/").pop()}` })));
  await writeFile(join(project, "package.json"), JSON.stringify(manifest, null, 2));
  await writeFile(join(project, "package-lock.json"), JSON.stringify(lockfile, null, 2));
  await run("npm", ["ci", "--offline", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"], { cwd: project, env: offline, timeout: 240_000 });
  await copyFile(join(import.meta.dirname, "consumer.ts"), join(project, "consumer.ts"));
  return project;
}

beforeAll(async () => {
  packDir = await mkdtemp(join(await scratchRoot(), "billing-pack-"));
  // One npm for every package (npm pack --workspace ...): the tarballs come back in that order.
  const { stdout } = await run("npm", ["pack", "--json", "--pack-destination", packDir, ...publicPackages.flatMap(({ dir }) => ["--workspace", dir])], { cwd: root, env: offline, timeout: 300_000 });
  const results = JSON.parse(stdout) as { name: string; filename: string; files: { path: string }[] }[];
  for (const { dir, manifest } of publicPackages) {
    const result = results.find((entry) => entry.name === manifest.name);
    if (!result) throw new Error(`npm pack made no tarball for ${manifest.name}`);
    packed.set(manifest.name, { dir, manifest, tarball: join(packDir, result.filename), files: result.files.map((file) => file.path) });
  }
  // npm installs the consumer while this process checks the tarballs (publint, attw): two cores busy.
  installing = installConsumer();
  installing.catch(() => undefined); // awaited (and reported) by the consumer's tests
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
    expect(readme, "an example in TypeScript (compiled by docs/sample-compiles.test.ts)").toMatch(/^```ts\n/m);
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
    const bytes = await readFile(get().tarball);
    const { messages, pkg } = await publint({ pack: { tarball: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer }, strict: true });
    expect(messages.map((message) => formatMessage(message, pkg) ?? message.code)).toEqual([]);
  }, 120_000);

  test("Are the types wrong? (esm-only) finds no problem in any module entry point", async () => {
    const { manifest, tarball } = get();
    // Files exported as assets (the YAML document, the HTML page) are not modules and have no types.
    const assets = Object.entries(manifest.exports ?? {}).filter(([, target]) => typeof target === "string" && !/\.(js|json)$/.test(target)).map(([entry]) => entry);
    const analysis = await checkPackage(createPackageFromTarballData(new Uint8Array(await readFile(tarball))), { excludeEntrypoints: assets });
    if (!analysis.types) throw new Error(`${manifest.name} has no types`);
    expect(Object.keys(analysis.entrypoints).length).toBeGreaterThan(0);
    // The esm-only profile: ESM consumers under node16/nodenext and bundlers; CommonJS require is ignored.
    const problems = analysis.problems.filter((problem) => (["node16-esm", "bundler"] as const).some((kind) => problemAffectsResolutionKind(problem, kind, analysis)));
    expect(problems.map((problem) => `${"entrypoint" in problem ? problem.entrypoint : ""} ${problemKindInfo[problem.kind].description}`)).toEqual([]);
  }, 120_000);
});

describe("installed from the tarballs into an empty project, offline", () => {
  let project: string;

  beforeAll(async () => {
    project = await installing;
  }, 300_000);

  test("each package is its tarball, not a link to this repository", async () => {
    for (const { manifest } of packed.values()) {
      const folder = join(project, "node_modules", manifest.name);
      const installed = JSON.parse(await readFile(join(folder, "package.json"), "utf8")) as Manifest;
      expect(installed.version).toBe(manifest.version);
      // A link (npm's answer to a workspace or a file: dependency) would resolve into this repository.
      expect(await realpath(folder), manifest.name).toBe(folder);
    }
  }, 60_000);

  const settings = {
    NodeNext: { module: "NodeNext", moduleResolution: "NodeNext" },
    Bundler: { module: "Preserve", moduleResolution: "Bundler" },
    CommonJS: { module: "CommonJS", moduleResolution: "Node10", esModuleInterop: true },
  };
  type Setting = keyof typeof settings;

  // The run goes first: its build is the consumer file with the types stripped (each check below is
  // the type check), so the installed mock and client run while this process checks.
  test.concurrent("one call goes through the installed client to the installed mock (the file, its types stripped, run)", async () => {
    const source = await readFile(join(project, "consumer.ts"), "utf8");
    const { outputText } = ts.transpileModule(source, { fileName: "consumer.ts", compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 } });
    await mkdir(join(project, "out"), { recursive: true });
    await writeFile(join(project, "out/consumer.js"), outputText);
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
      "webhook customer_create Could not connect (ECONNREFUSED)",
    ]);
  }, 300_000);

  // What `tsc -p` would print (`--noEmit`) for the consumer file under each setting, with the pinned
  // TypeScript, in this process: one TypeScript load for the three, not a process each, and each file
  // parsed once for the three (as tsserver's document registry does: a parse depends on the file's
  // text, the language version and the module format, never on module resolution). skipLibCheck
  // off checks every declaration file the file reaches, ours and our dependencies'; TypeScript's own
  // lib files are left to TypeScript (skipDefaultLibCheck).
  const parsed = new Map<string, ts.SourceFile | undefined>();
  test.concurrent.each(Object.keys(settings) as Setting[])(`the consumer file compiles under %s with skipLibCheck off (TypeScript ${ts.version})`, async (name) => {
    const compilerOptions = { ...settings[name], target: "ES2022", lib: ["ES2023", "DOM"], types: [], strict: true, skipLibCheck: false, skipDefaultLibCheck: true, noEmit: true };
    const { options, errors } = ts.convertCompilerOptionsFromJson(compilerOptions, project);
    expect(errors).toEqual([]);
    const compilerHost = ts.createCompilerHost(options);
    const parse = compilerHost.getSourceFile.bind(compilerHost);
    compilerHost.getSourceFile = (file, format, ...rest) => {
      const { languageVersion, impliedNodeFormat } = typeof format === "object" ? format : { languageVersion: format, impliedNodeFormat: undefined };
      const key = `${file}\0${languageVersion}\0${impliedNodeFormat}`;
      if (!parsed.has(key)) parsed.set(key, parse(file, format, ...rest));
      return parsed.get(key);
    };
    const program = ts.createProgram({ rootNames: [join(project, "consumer.ts")], options, host: compilerHost });
    const host = { getCanonicalFileName: (file: string) => file, getCurrentDirectory: () => project, getNewLine: () => "\n" };
    expect(ts.formatDiagnostics(ts.getPreEmitDiagnostics(program), host)).toBe("");
  }, 180_000);
});

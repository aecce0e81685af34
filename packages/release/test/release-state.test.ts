import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { checkRelease, readInfoVersion, repoPaths, withInfoVersion } from "@billing-api/release";
import { describe, expect, test } from "vitest";

// This repository's own release state: the gate on the real bundle, and the versions that must agree.
const paths = repoPaths();
const readJson = async <T>(path: string): Promise<T> => JSON.parse(await readFile(join(paths.root, path), "utf8")) as T;

interface Manifest {
  name: string;
  version: string;
  private?: boolean;
}

/** The workspaces changesets versions and publishes: the ones not marked private. */
async function publicPackages(): Promise<{ dir: string; manifest: Manifest }[]> {
  const { workspaces } = await readJson<{ workspaces: string[] }>("package.json");
  const all = await Promise.all(workspaces.map(async (dir) => ({ dir, manifest: await readJson<Manifest>(`${dir}/package.json`) })));
  return all.filter(({ manifest }) => !manifest.private);
}

describe("release state of this repository", () => {
  test("every change to the spec since the last release has its changeset (major for a breaking one)", async () => {
    const { problems } = await checkRelease(paths);
    expect(problems, "run `npx changeset`; see Releasing in the README").toEqual([]);
  }, 120_000);

  test("info.version of the spec is the version of @billing-api/spec, in the source and in the bundle", async () => {
    const { version } = await readJson<Manifest>("packages/spec/package.json");
    expect(readInfoVersion(await readFile(paths.specSource, "utf8"))).toBe(version);
    const bundle = await readJson<{ info: { version: string } }>("packages/spec/dist/openapi.json");
    expect(bundle.info.version).toBe(version);
  });

  test("the released bundle is the one of the spec's latest CHANGELOG entry", async () => {
    const released = await readJson<{ openapi: string; info: { version: string } }>("packages/spec/released/openapi.json");
    const changelog = await readFile(join(paths.root, "packages/spec/CHANGELOG.md"), "utf8");
    expect(released.openapi).toBe("3.1.0");
    expect(released.info.version).toBe(/^## (\S+)$/m.exec(changelog)?.[1]);
  });

  test("the public packages are the spec, client, mock and docs (and any new one), each with a CHANGELOG at its version", async () => {
    const packages = await publicPackages();
    expect(packages.map(({ manifest }) => manifest.name)).toEqual(expect.arrayContaining(["@billing-api/spec", "@billing-api/client", "@billing-api/mock", "@billing-api/docs"]));
    for (const { dir, manifest } of packages) {
      const changelog = await readFile(join(paths.root, dir, "CHANGELOG.md"), "utf8");
      expect(changelog.split("\n")[0], `${dir}/CHANGELOG.md`).toBe(`# ${manifest.name}`);
      expect(/^## (\S+)$/m.exec(changelog)?.[1], `${dir}/CHANGELOG.md's latest entry`).toBe(manifest.version);
    }
  });

  test("the mock depends on exactly the spec of this repository", async () => {
    const spec = await readJson<Manifest>("packages/spec/package.json");
    const mock = await readJson<{ dependencies: Record<string, string> }>("packages/mock/package.json");
    expect(mock.dependencies["@billing-api/spec"]).toBe(spec.version);
  });

  test("changesets is configured, and only pending changesets and its own files are in .changeset/", async () => {
    const config = await readJson<{ baseBranch: string; access: string }>(".changeset/config.json");
    expect(config).toMatchObject({ baseBranch: "main", access: "public" });
    const stray = (await readdir(join(paths.root, ".changeset"))).filter((file) => !/^(config\.json|README\.md|[\w-]+\.md)$/.test(file));
    expect(stray).toEqual([]);
  });
});

describe("the version step", () => {
  const source = "openapi: 3.1.0\ninfo:\n  title: Billing API\n  version: 1.0.0\n  summary: Subscription billing.\npaths: {}\n";

  test("writes the new version into info.version and changes nothing else", () => {
    expect(withInfoVersion(source, "2.0.0")).toBe(source.replace("version: 1.0.0", "version: 2.0.0"));
    expect(readInfoVersion(withInfoVersion(source, "2.0.0"))).toBe("2.0.0");
  });

  test("refuses a document without info.version", () => {
    expect(() => withInfoVersion("openapi: 3.1.0\ninfo:\n  title: x\npaths: {}\n", "2.0.0")).toThrow(/info\.version/);
  });
});

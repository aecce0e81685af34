import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkRelease, diffConfig, diffDocuments, repoPaths, repoRoot, type Change, type RepoPaths } from "@billing-api/release";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { baseDocument, breakingChanges, combined, compatibleChanges, fixtureOf, namespaced, type Doc } from "./diff-fixtures.js";

// The breaking-change gate rests on `redocly diff`, an experimental command: these fixtures pin what
// it must catch (one small change per kind), so an upgrade that changes its rules fails here first.
let dir: string;
const written = new Map<string, string>();

/** A fresh copy of the base document with `change` made to it. */
function changed(change?: (doc: Doc) => void): Doc {
  const doc = baseDocument();
  change?.(doc);
  return doc;
}

async function documentFile(name: string, change?: (doc: Doc) => void): Promise<string> {
  const doc = changed(change);
  const file = join(dir, `${name.replace(/\W+/g, "-")}.json`);
  await writeFile(file, JSON.stringify(doc, null, 2));
  written.set(name, file);
  return file;
}

/** Every fixture, breaking and compatible, in the order their namespaces are numbered. */
const fixtures = { ...breakingChanges, ...compatibleChanges };
const fixtureNames = Object.keys(fixtures);
/** What one `redocly diff` of all the fixtures side by side found, by fixture; and what no fixture's location names. */
const found = new Map<string, Change[]>(fixtureNames.map((name) => [name, []]));
const unplaced: Change[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "billing-diff-"));
  await documentFile("base");
  // One process for the fixtures, not one each (about a second of CPU per `redocly diff`): each
  // fixture's change made to its own copy of the base, every copy in a namespace of its own.
  const base = combined(fixtureNames.map((_, index) => namespaced(baseDocument(), index)));
  const revised = combined(fixtureNames.map((name, index) => namespaced(changed(fixtures[name]!), index)));
  await writeFile(join(dir, "fixtures-base.json"), JSON.stringify(base, null, 2));
  await writeFile(join(dir, "fixtures-revised.json"), JSON.stringify(revised, null, 2));
  for (const change of await diffDocuments(join(dir, "fixtures-base.json"), join(dir, "fixtures-revised.json"))) {
    const index = fixtureOf(change.where);
    if (index === undefined) unplaced.push(change);
    else found.get(fixtureNames[index]!)!.push(change);
  }
}, 180_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

/** The rule each breaking change must be caught by (Redocly 2.77's rule ids). */
const expectedRules: Record<keyof typeof breakingChanges & string, string[]> = {
  "operation removed": ["operation-removed"],
  "path removed": ["path-removed"],
  "response property removed": ["property-removed", "required-properties-removed"],
  "response property made optional": ["required-properties-removed"],
  "response property made nullable (type array widened)": ["schema-type-changed"],
  "response const changed": ["schema-constraint-changed"],
  "request property made required": ["required-properties-added"],
  "request enum value removed": ["enum-values-removed"],
  "query parameter enum value removed": ["enum-values-removed"],
  "request type narrowed": ["schema-type-changed"],
  "response status removed": ["response-removed"],
  "request schema closed (additionalProperties: false)": ["schema-constraint-changed"],
  "request schema closed (unevaluatedProperties: false)": ["schema-constraint-changed"],
  "required query parameter added": ["parameter-became-required"],
};

describe("redocly diff, as the gate runs it", () => {
  test("is the pinned @redocly/cli 2.77.0, configured with diff-recommended", async () => {
    const manifestPath = join(repoRoot, "packages/release/package.json");
    const require = createRequire(manifestPath); // resolves as the gate does
    const releaseManifest = JSON.parse(await readFile(manifestPath, "utf8")) as { dependencies: Record<string, string> };
    const installed = JSON.parse(await readFile(require.resolve("@redocly/cli/package.json"), "utf8")) as { version: string };
    expect(releaseManifest.dependencies["@redocly/cli"]).toBe("2.77.0");
    expect(installed.version).toBe("2.77.0");
    // Without it `redocly diff` rates every change as harmless.
    expect(await readFile(diffConfig, "utf8")).toMatch(/^extends:\n\s+- diff-recommended$/m);
  });

  test("the fixture set names a rule for each breaking change", () => {
    expect(Object.keys(expectedRules).sort()).toEqual(Object.keys(breakingChanges).sort());
  });

  test("every change it rates lies in the namespace of the fixture that made it", () => {
    expect(unplaced.map((change) => change.where)).toEqual([]);
    // The namespaces are read back as written: fixture 0's and the last one's changes are found.
    expect(found.get(fixtureNames[0]!)!.length).toBeGreaterThan(0);
    expect(found.get(fixtureNames.at(-1)!)!.length).toBeGreaterThan(0);
  });

  test.each(Object.keys(breakingChanges))("catches: %s", (name) => {
    const changes = found.get(name)!;
    const major = changes.filter((change) => change.impact === "major");
    expect(major.map((change) => change.rule).sort()).toEqual(expectedRules[name]!.sort());
    // One line a person understands: where, what, and the rule.
    for (const change of major) expect(change.message).toMatch(/\w+ .*\w/);
  });

  test.each(Object.keys(compatibleChanges))("lets pass, as a minor or patch change: %s", (name) => {
    const changes = found.get(name)!;
    expect(changes.filter((change) => change.impact === "major")).toEqual([]);
    expect(changes.length, "the change is seen (it needs a patch or minor changeset)").toBeGreaterThan(0);
  });
});

describe("the gate: a change to the spec needs its changeset", () => {
  /** A repository in miniature: the released and current bundles and the pending changesets. */
  async function repo(change: ((doc: Doc) => void) | undefined, changesets: Record<string, string>[]): Promise<RepoPaths> {
    const root = await mkdtemp(join(dir, "repo-"));
    await mkdir(join(root, ".changeset"));
    await writeFile(join(root, ".changeset/config.json"), "{}");
    for (const [index, bumps] of changesets.entries()) {
      const front = Object.entries(bumps).map(([name, bump]) => `"${name}": ${bump}`).join("\n");
      await writeFile(join(root, `.changeset/change-${index}.md`), `---\n${front}\n---\n\nWhat changed.\n`);
    }
    const paths = { ...repoPaths(root), releasedBundle: written.get("base")! };
    paths.currentBundle = change ? await documentFile(`current-${root.slice(-6)}`, change) : paths.releasedBundle;
    return paths;
  }
  const spec = "@billing-api/spec";
  const client = "@billing-api/client";

  test("no change, no changeset needed", async () => {
    const result = await checkRelease(await repo(undefined, []));
    expect(result).toMatchObject({ changes: [], problems: [] });
  }, 180_000);

  test("a breaking change without a changeset fails, one line per change and one saying what to do", async () => {
    const { problems } = await checkRelease(await repo(breakingChanges["response property made optional"], []));
    expect(problems).toEqual([
      "breaking: major  components/schemas/Customer/required: Properties of `customer` are no longer required: `email`. (required-properties-removed)",
      `1 breaking change(s) since the last release need a major changeset for ${spec} and ${client} (npx changeset)`,
    ]);
  }, 180_000);

  test("a minor changeset is not enough for a breaking change, nor a major one for the spec alone", async () => {
    const minor = await checkRelease(await repo(breakingChanges["operation removed"], [{ [spec]: "minor", [client]: "minor" }]));
    expect(minor.problems.at(-1)).toMatch(/need a major changeset for @billing-api\/spec and @billing-api\/client/);
    const specOnly = await checkRelease(await repo(breakingChanges["operation removed"], [{ [spec]: "major" }, { [client]: "patch" }]));
    expect(specOnly.problems.at(-1)).toMatch(/need a major changeset for @billing-api\/client \(/);
  }, 180_000);

  test("a breaking change with major changesets for the spec and the client passes", async () => {
    const { problems, breaking } = await checkRelease(await repo(breakingChanges["request enum value removed"], [{ [spec]: "major" }, { [client]: "major", "@billing-api/mock": "minor" }]));
    expect(breaking).toHaveLength(1);
    expect(problems).toEqual([]);
  }, 180_000);

  test("an addition needs a changeset too, of any kind", async () => {
    const without = await checkRelease(await repo(compatibleChanges["operation added"], []));
    expect(without.problems).toEqual([`1 change(s) to the spec since the last release need a changeset for ${spec} and ${client} (npx changeset)`]);
    const withPatch = await checkRelease(await repo(compatibleChanges["operation added"], [{ [spec]: "minor", [client]: "patch" }]));
    expect(withPatch.problems).toEqual([]);
  }, 180_000);
});

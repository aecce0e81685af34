/**
 * The breaking-change gate: the bundle built now against the last released bundle. A breaking change
 * needs a pending major changeset for the spec and for the client generated from it; any other change
 * needs at least a patch or minor one for both. The mock and the docs follow the spec through their
 * dependency on it (changesets bumps them when the spec is released).
 */
import { readFile } from "node:fs/promises";
import { pendingBumps, type Bump } from "./changesets.js";
import { describeChange, diffDocuments, type Change } from "./diff.js";
import { repoPaths, type RepoPaths } from "./paths.js";

/** The packages whose consumers see every change to the document. */
export const followersOfTheSpec = ["@billing-api/spec", "@billing-api/client"] as const;

export interface GateResult {
  /** Every change since the last release, as Redocly rates it. */
  changes: Change[];
  breaking: Change[];
  bumps: Map<string, Bump>;
  /** Why the build must fail, one line each; empty when it may pass. */
  problems: string[];
}

export async function checkRelease(paths: RepoPaths = repoPaths()): Promise<GateResult> {
  const [released, current] = await Promise.all([readFile(paths.releasedBundle, "utf8"), readFile(paths.currentBundle, "utf8")]);
  const changes = released === current ? [] : await diffDocuments(paths.releasedBundle, paths.currentBundle);
  const breaking = changes.filter((change) => change.impact === "major");
  const bumps = await pendingBumps(paths.root);
  const problems: string[] = [];

  if (breaking.length > 0) {
    const short = followersOfTheSpec.filter((name) => bumps.get(name) !== "major");
    if (short.length > 0) {
      problems.push(...breaking.map((change) => `breaking: ${describeChange(change)}`));
      problems.push(`${breaking.length} breaking change(s) since the last release need a major changeset for ${short.join(" and ")} (npx changeset)`);
    }
  } else if (changes.length > 0) {
    const missing = followersOfTheSpec.filter((name) => (bumps.get(name) ?? "none") === "none");
    if (missing.length > 0) problems.push(`${changes.length} change(s) to the spec since the last release need a changeset for ${missing.join(" and ")} (npx changeset)`);
  }
  return { changes, breaking, bumps, problems };
}

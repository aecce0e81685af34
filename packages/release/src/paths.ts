/**
 * Where the release tooling finds things in the repository. One place, so the gate, the version step
 * and the tests agree on which file is "the last released bundle".
 */
import { fileURLToPath } from "node:url";
import { join } from "node:path";

/** The repository root (this file is packages/release/dist/paths.js once built). */
export const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));

export interface RepoPaths {
  root: string;
  /** The hand-authored document whose `info.version` follows `@billing-api/spec`. */
  specSource: string;
  /** The bundle built from it now (`npm run build` or `turbo run bundle`). */
  currentBundle: string;
  /** The bundle of the last release, committed; the gate compares against it. */
  releasedBundle: string;
  /** The spec package's manifest, which holds the version. */
  specManifest: string;
}

export function repoPaths(root: string = repoRoot): RepoPaths {
  return {
    root,
    specSource: join(root, "spec/openapi.yaml"),
    currentBundle: join(root, "packages/spec/dist/openapi.json"),
    releasedBundle: join(root, "packages/spec/released/openapi.json"),
    specManifest: join(root, "packages/spec/package.json"),
  };
}

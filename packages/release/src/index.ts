export { checkRelease, followersOfTheSpec, type GateResult } from "./gate.js";
export { describeChange, diffConfig, diffDocuments, readablePointer, type Change, type Impact } from "./diff.js";
export { pendingBumps, type Bump } from "./changesets.js";
export { repoPaths, repoRoot, type RepoPaths } from "./paths.js";
export { readInfoVersion, saveReleasedBundle, syncSpecVersion, withInfoVersion } from "./version.js";

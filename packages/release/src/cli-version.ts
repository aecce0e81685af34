/**
 * `billing-release-version`: run by `npm run version-packages` after `changeset version`. Sets the
 * spec's `info.version`, rebuilds the bundle, and keeps it as the last released bundle.
 */
import { execFileSync } from "node:child_process";
import { repoPaths } from "./paths.js";
import { saveReleasedBundle, syncSpecVersion } from "./version.js";

const paths = repoPaths();
const version = await syncSpecVersion(paths);
execFileSync("npx", ["turbo", "run", "bundle", "--filter=@billing-api/spec"], {
  cwd: paths.root,
  stdio: "inherit",
  env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1", REDOCLY_TELEMETRY: "off" },
});
await saveReleasedBundle(paths);
console.log(`info.version is ${version}; packages/spec/released/openapi.json is now the ${version} bundle.`);

/**
 * `billing-release-version`: run by `npm run version-packages` after `changeset version`. Sets the
 * spec's `info.version`, rebuilds the bundle, and keeps it as the last released bundle.
 * A thin shell on @billing-api/cli-kit: --help and --version answer before anything runs.
 */
import { execFileSync } from "node:child_process";
import { Command } from "@billing-api/cli-kit";

// ---- billing-release-version's usage ---------------------------------------------------------
const usage = `Usage: billing-release-version [--version]

Run by \`npm run version-packages\` after \`changeset version\`: sets spec/openapi.yaml's info.version to
@billing-api/spec's new version, rebuilds the bundle, and saves it as the last released bundle
(packages/spec/released/openapi.json), which billing-release-check compares against.`;

// ---- the shell (no options beyond --help and --version) ----------------------------------------
const command = new Command({ name: "billing-release-version", usage, options: {}, packageJson: new URL("../package.json", import.meta.url) });

if (command.read()) {
  const [{ repoPaths }, { saveReleasedBundle, syncSpecVersion }] = await Promise.all([import("./paths.js"), import("./version.js")]);
  const paths = repoPaths();
  const version = await syncSpecVersion(paths);
  execFileSync("npx", ["turbo", "run", "bundle", "--filter=@billing-api/spec"], {
    cwd: paths.root,
    stdio: "inherit",
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1", REDOCLY_TELEMETRY: "off" },
  });
  await saveReleasedBundle(paths);
  console.log(`info.version is ${version}; packages/spec/released/openapi.json is now the ${version} bundle.`);
}

/**
 * `billing-release-check`: the breaking-change gate from the command line (the same check
 * contract-tests/release/gate.test.ts runs in `npm test`). Exits 1 with one line per problem.
 * A thin shell on @billing-api/cli-kit: --help and --version answer before Redocly is loaded.
 */
import { Command } from "@billing-api/cli-kit";

// ---- billing-release-check's usage -----------------------------------------------------------
const usage = `Usage: billing-release-check [--version]

Compares the bundle built now with the last released one (packages/spec/released/openapi.json) and
prints each change as Redocly rates it. Exits 1, one line per problem, when a change has no pending
changeset for @billing-api/spec and @billing-api/client (a breaking one needs a major).`;

// ---- the shell (no options beyond --help and --version) ----------------------------------------
const command = new Command({ name: "billing-release-check", usage, options: {}, packageJson: new URL("../package.json", import.meta.url) });

if (command.read()) {
  const [{ describeChange }, { checkRelease }] = await Promise.all([import("./diff.js"), import("./gate.js")]);
  const { changes, problems } = await checkRelease();
  for (const change of changes) console.log(describeChange(change));
  if (problems.length > 0) {
    for (const problem of problems) console.error(problem);
    process.exitCode = 1;
  } else {
    console.log(changes.length === 0 ? "No change to the spec since the last release." : "Every change since the last release has its changeset.");
  }
}

/**
 * `billing-release-check`: the breaking-change gate from the command line (the same check
 * contract-tests/release/gate.test.ts runs in `npm test`). Exits 1 with one line per problem.
 */
import { describeChange } from "./diff.js";
import { checkRelease } from "./gate.js";

const { changes, problems } = await checkRelease();
for (const change of changes) console.log(describeChange(change));
if (problems.length > 0) {
  for (const problem of problems) console.error(problem);
  process.exitCode = 1;
} else {
  console.log(changes.length === 0 ? "No change to the spec since the last release." : "Every change since the last release has its changeset.");
}

// node scripts/bench-cli.mjs [runs]: how long each command takes to answer --help, --version and a
// bad option (median and worst of `runs`, default 7), beside a bare `node -e 0`. The target is under
// 300 ms on this project's 2-core machines; the figures are printed, never asserted (a busy machine
// would make a timing test flaky).
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const runs = Number(process.argv[2] ?? 7);
const root = fileURLToPath(new URL("..", import.meta.url));
const commands = {
  "node -e 0": ["-e", "0"],
  "billing-mock": ["packages/mock/bin/billing-mock.js"],
  "billing-docs": ["packages/docs/bin/billing-docs.js"],
  "billing-verify": ["packages/verify/bin/billing-verify.js"],
  "billing-serve": ["packages/serve/bin/billing-serve.js"],
  "billing-generate-types": ["generators/bin/billing-generate-types.js"],
  "billing-generate-samples": ["generators/bin/billing-generate-samples.js"],
  "billing-spec (packages/spec/cli.js)": ["packages/spec/cli.js"],
  "billing-release-check": ["packages/release/bin/billing-release-check.js"],
};

const time = (args) => {
  const started = performance.now();
  spawnSync(process.execPath, args, { cwd: root, stdio: "ignore" });
  return performance.now() - started;
};

console.log(`ms to answer, median / worst of ${runs} runs`);
for (const [name, args] of Object.entries(commands)) {
  const cells = (name === "node -e 0" ? [[]] : [["--help"], ["--version"], ["--bogus"]]).map((extra) => {
    const times = Array.from({ length: runs }, () => time([...args, ...extra])).sort((a, b) => a - b);
    return `${extra[0] ?? ""} ${Math.round(times[Math.floor(runs / 2)])} / ${Math.round(times[runs - 1])}`.trim();
  });
  console.log(`${name.padEnd(36)} ${cells.join("   ")}`);
}

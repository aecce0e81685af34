#!/usr/bin/env node
// @ts-check
// node cli.js lint|bundle [--spec FILE] [--config FILE] [--out DIR]: what `npm run lint` and the
// bundle task run. Options are read before Redocly is loaded, so --help and mistakes answer at once.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const usage = `Usage: billing-spec lint|bundle [--spec spec/openapi.yaml] [--config redocly.yaml] [--out packages/spec/dist]

lint checks the hand-authored spec against redocly.yaml (recommended-strict plus the house rules;
any problem fails). bundle lints it too, then writes openapi.json and openapi.yaml to --out.
It is packages/spec/cli.js: \`npm run lint\` and the build's bundle step run it.`;

function options() {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        spec: { type: "string", default: here("../../spec/openapi.yaml") },
        config: { type: "string", default: here("../../redocly.yaml") },
        out: { type: "string", default: here("./dist") },
        help: { type: "boolean", short: "h", default: false },
        version: { type: "boolean", default: false },
      },
    });
  } catch (error) {
    // parseArgs goes on about positionals after its first sentence; the usage says it better.
    console.error(`billing-spec: ${/** @type {Error} */ (error).message.split(". ")[0]}\n\n${usage}`);
    return undefined;
  }
}

async function main() {
  const parsed = options();
  if (!parsed) return 2;
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(usage);
    return 0;
  }
  if (values.version) {
    console.log(JSON.parse(readFileSync(here("./package.json"), "utf8")).version);
    return 0;
  }
  const [command, ...extra] = positionals;
  if ((command !== "lint" && command !== "bundle") || extra.length > 0) {
    console.error(`billing-spec: give one command, lint or bundle; got ${positionals.join(" ") || "none"}.\n\n${usage}`);
    return 2;
  }

  // Paths are shown from the repository's root, where the README's commands are run.
  const base = here("../..");
  const { formatProblem, lintAndBundle, shownPath } = await import("./redocly.js");
  const outputs = command === "bundle" ? { json: join(values.out, "openapi.json"), yaml: join(values.out, "openapi.yaml") } : undefined;
  let problems;
  try {
    problems = await lintAndBundle({ spec: values.spec, config: values.config, outputs });
  } catch (error) {
    console.error(`billing-spec: ${shownPath(values.spec, base)}: ${/** @type {Error} */ (error).message}`);
    return 1;
  }
  const read = (file) => {
    try {
      return readFileSync(file, "utf8");
    } catch {
      return undefined;
    }
  };
  for (const problem of problems) console.error(formatProblem(problem, base, read));
  const spec = shownPath(values.spec, base);
  if (problems.length > 0) {
    console.error(`${spec}: ${problems.length} ${problems.length === 1 ? "problem" : "problems"}.`);
    return 1;
  }
  console.log(outputs ? `${spec}: no lint problems; bundled to ${shownPath(outputs.json, base)} and .yaml.` : `${spec}: no lint problems.`);
  return 0;
}

process.exitCode = await main();

// @ts-check
/**
 * Lint and bundle the hand-authored spec through Redocly's programmatic API (@redocly/openapi-core),
 * in one process and with one set of parsed files: the CLI would start three processes and print
 * a Node end-of-life banner in each. The rules are the ones `redocly lint` applies: redocly.yaml's
 * (recommended-strict plus the house rules) for the api it names.
 */
import { writeFile, mkdir } from "node:fs/promises";
import { dirname, relative, resolve } from "node:path";
import {
  BaseResolver,
  bundle,
  detectSpec,
  getLineColLocation,
  getTypes,
  lint,
  loadConfig,
  normalizeTypes,
  resolveDocument,
  stringifyYaml,
  YamlParseError,
} from "@redocly/openapi-core";

/**
 * @typedef {import("@redocly/openapi-core").NormalizedProblem} NormalizedProblem
 * @typedef {{ file: string; line: number; col: number; what: string; rule?: string; severity: string }} Problem
 */

/**
 * The spec's rules, as `redocly lint` reads them from redocly.yaml: the ones of the api whose root
 * is the spec, or the file's own (the same here) for any other document, such as a test's copy.
 * @param {string} configPath @param {string} specPath
 */
export async function loadRules(configPath, specPath) {
  const config = await loadConfig({ configPath });
  const apis = Object.entries(config.resolvedConfig.apis ?? {});
  const alias = apis.find(([, api]) => resolve(dirname(configPath), api.root) === resolve(specPath))?.[0];
  return config.forAlias(alias);
}

/**
 * Lints the spec; when `outputs` is given and nothing is wrong, also bundles it to JSON and YAML.
 * Returns the problems, described for a reader (a YAML syntax error is one problem, not also every
 * `$ref` that points at the broken file).
 * @param {{ spec: string; config: string; outputs?: { json: string; yaml: string } }} options
 * @returns {Promise<Problem[]>}
 */
export async function lintAndBundle({ spec, config: configPath, outputs }) {
  const config = await loadRules(configPath, spec);
  // One resolver: the files lint read are not read and parsed again for the bundle.
  const externalRefResolver = new BaseResolver(config.resolve);
  let found;
  try {
    const unparsed = await unparsable(spec, config, externalRefResolver);
    if (unparsed.length > 0) return unparsed;
    found = await lint({ ref: spec, config, externalRefResolver });
  } catch (error) {
    if (error instanceof YamlParseError) return [yamlProblem(error)];
    throw error;
  }
  const problems = describe(found);
  if (problems.length > 0 || !outputs) return problems;

  const { bundle: bundled, problems: bundleProblems } = await bundle({ ref: spec, config, externalRefResolver });
  const left = describe(bundleProblems);
  if (left.length > 0) return left;
  await mkdir(dirname(outputs.json), { recursive: true });
  await mkdir(dirname(outputs.yaml), { recursive: true });
  await writeFile(outputs.json, `${JSON.stringify(bundled.parsed, null, 2)}\n`);
  await writeFile(outputs.yaml, stringifyYaml(bundled.parsed, { noRefs: true, lineWidth: -1 }));
  return [];
}

/**
 * The files the spec reaches that are not YAML, each once, before any rule runs: lint would run
 * every rule over the rest first (about 1 s of CPU) only for this to be all it reports. The
 * resolver keeps what it parsed, so lint reads nothing twice when all is well.
 * @param {string} spec
 * @param {Awaited<ReturnType<typeof loadRules>>} config
 * @param {BaseResolver} externalRefResolver
 * @returns {Promise<Problem[]>}
 */
async function unparsable(spec, config, externalRefResolver) {
  // The root's own syntax error is thrown here, as lint would throw it.
  const document = /** @type {import("@redocly/openapi-core").Document} */ (await externalRefResolver.resolveDocument(null, spec, true));
  const version = detectSpec(document.parsed);
  const types = normalizeTypes(config.extendTypes(getTypes(version), version), config);
  const refs = await resolveDocument({ rootDocument: document, rootType: types.Root, externalRefResolver });
  const broken = new Map();
  for (const { error } of refs.values()) {
    if (error instanceof YamlParseError) broken.set(error.source.absoluteRef, yamlProblem(error));
  }
  return [...broken.values()];
}

/** @param {YamlParseError} error @returns {Problem} */
function yamlProblem(error) {
  return { file: error.source.absoluteRef, line: error.line, col: error.col, what: yamlReason(error.originalError), severity: "error" };
}

/** js-yaml's reason, without the file name and position it repeats. */
function yamlReason(error) {
  return `YAML syntax error: ${error?.reason ?? String(error?.message ?? error).split("\n")[0]}`;
}

/** @param {NormalizedProblem[]} found @returns {Problem[]} */
function describe(found) {
  return found
    .filter((problem) => problem.severity !== "off")
    .map((problem) => ({ ...position(problem), what: problem.message, rule: problem.ruleId, severity: problem.severity }));
}

/** @param {NormalizedProblem} problem */
function position(problem) {
  const location = problem.location[0];
  if (!location) return { file: "(unknown file)", line: 1, col: 1 };
  const { line, col } = getLineColLocation(location).start;
  return { file: location.source.absoluteRef, line, col };
}

/** A path from `base` when it lies under it, else the absolute path. */
export function shownPath(file, base) {
  const path = relative(base, file);
  return path && !path.startsWith("..") ? path : file;
}

/**
 * One problem as a reader wants it: `file:line:col`, what is wrong and the rule that says so, then
 * the line (and the one before it) with a caret under the column.
 * @param {Problem} problem
 * @param {string} base paths are shown relative to it
 * @param {(file: string) => string | undefined} read
 */
export function formatProblem(problem, base, read) {
  const head = `${shownPath(problem.file, base)}:${problem.line}:${problem.col}: ${problem.severity}: ${problem.what}${problem.rule ? ` (${problem.rule})` : ""}`;
  const lines = read(problem.file)?.split("\n");
  if (!lines || lines[problem.line - 1] === undefined) return head;
  const width = String(problem.line).length;
  const frame = [problem.line - 1, problem.line]
    .filter((number) => number >= 1)
    .map((number) => `  ${String(number).padStart(width)} | ${lines[number - 1]}`);
  return [head, ...frame, `  ${" ".repeat(width)} | ${" ".repeat(Math.max(0, problem.col - 1))}^`].join("\n");
}

import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, test } from "vitest";

// The spec's lint and bundle (packages/spec/cli.js, Redocly's programmatic API): strict as
// `redocly lint` is, and a broken file is one clear message. Each test breaks a copy of spec/.
const root = fileURLToPath(new URL("../../../", import.meta.url));
const cli = join(root, "packages/spec/cli.js");
const config = join(root, "redocly.yaml");
const redoclyCli = join(dirname(createRequire(join(root, "packages/docs/package.json")).resolve("@redocly/cli/package.json")), "bin/cli.js");
const operationFile = "paths/customers_{id}.yaml";

let copies: string[] = [];
afterEach(() => {
  for (const dir of copies) rmSync(dir, { recursive: true, force: true });
  copies = [];
});

/** A copy of spec/ with `edit` applied to one file's text; returns the copy's root document. */
function brokenCopy(file: string, edit: (text: string) => string): string {
  const dir = mkdtempSync(join(tmpdir(), "spec-lint-"));
  copies.push(dir);
  cpSync(join(root, "spec"), dir, { recursive: true });
  const path = join(dir, file);
  const text = readFileSync(path, "utf8");
  const edited = edit(text);
  expect(edited, `the edit changed ${file}`).not.toBe(text);
  writeFileSync(path, edited);
  return join(dir, "openapi.yaml");
}

const lint = (spec: string) =>
  spawnSync(process.execPath, [cli, "lint", "--spec", spec, "--config", config], { encoding: "utf8", timeout: 170_000 });

describe("linting the spec", () => {
  test("a YAML syntax error is one message: file, line, column and what is wrong, with the line shown", () => {
    const spec = brokenCopy(operationFile, (text) => text.replace(/^( {2}summary: ).*$/m, "$1Read: oops"));
    const file = join(dirname(spec), operationFile);
    const line = readFileSync(file, "utf8").split("\n").findIndex((text) => text === "  summary: Read: oops") + 1;
    const result = lint(spec);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe("");
    const lines = result.stderr.trimEnd().split("\n");
    expect(lines[0]).toBe(`${file}:${line}:16: error: YAML syntax error: bad indentation of a mapping entry`);
    expect(lines).toContain(`  ${line} |   summary: Read: oops`);
    expect(lines.at(-1)).toBe(`${spec}: 1 problem.`);
    expect(lines).toHaveLength(5);
    expect(result.stderr).not.toMatch(/resolve \$ref|ignore file|npm error|^\s+at /im);
  });

  test("a broken root document is reported the same way", () => {
    const spec = brokenCopy("openapi.yaml", (text) => text.replace(/^info:.*$/m, "info: [oops"));
    const result = lint(spec);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`^${spec.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:\\d+:\\d+: error: YAML syntax error: `));
    expect(result.stderr.trimEnd().split("\n").at(-1)).toBe(`${spec}: 1 problem.`);
  });

  test("the house rules and recommended-strict are applied, as redocly lint applies them", () => {
    const spec = brokenCopy(operationFile, (text) =>
      text
        .replace(/^( {2}summary: )(\w+) /m, "$1$2 the ") // an article: rule/summary-no-articles
        .replace(/^( {2}operationId: )(\w+)$/m, "$1$2_v2"), // not camelCase: rule/operation-id-camel-case
    );
    const ours = lint(spec);
    expect(ours.status).toBe(1);
    const reported = (text: string) => [...text.matchAll(/\((rule\/[\w-]+|[\w-]+)\)$/gm)].map((match) => match[1]).sort();
    expect(reported(ours.stderr)).toEqual(["rule/operation-id-camel-case", "rule/summary-no-articles"]);
    expect(ours.stderr).toContain(`${join(dirname(spec), operationFile)}:`);

    // The same problems as Redocly's own CLI finds with the same redocly.yaml.
    const theirs = spawnSync(process.execPath, [redoclyCli, "lint", "--config", config, "--format", "json", spec], {
      encoding: "utf8",
      timeout: 170_000,
      env: { ...process.env, REDOCLY_TELEMETRY: "off" },
    });
    const json = JSON.parse(theirs.stdout) as { problems: { ruleId: string; location: { source: { ref: string }; start?: { line: number } }[] }[] };
    expect(json.problems.map((problem) => problem.ruleId).sort()).toEqual(reported(ours.stderr));
  });
});

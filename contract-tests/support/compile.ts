import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { spawnSync } from "node:child_process";

// Samples cannot rot: code shown to readers is compiled against the built packages, each snippet as a
// module of its own, with the compiler options the packages use.
const root = fileURLToPath(new URL("../..", import.meta.url));
const tsgo = join(root, "node_modules/.bin/tsgo");

/** The ```ts blocks of a Markdown text, with the line each starts on. */
export function typescriptBlocks(markdown: string): { line: number; code: string }[] {
  const blocks: { line: number; code: string }[] = [];
  const lines = markdown.split("\n");
  for (let i = 0; i < lines.length; i++) {
    if (!/^```(ts|typescript)\s*$/.test(lines[i]!)) continue;
    const start = i + 1;
    while (i + 1 < lines.length && !lines[i + 1]!.startsWith("```")) i++;
    blocks.push({ line: start + 1, code: lines.slice(start, i + 1).join("\n") });
    i++;
  }
  return blocks;
}

/**
 * Type errors of each snippet, compiled together in one program (`name:line: message`), by
 * TypeScript's native compiler (tsgo), as the type tests are: a third of tsc 5.9's time. What tsc
 * 5.9 makes of the packages' types is the consumer matrix's job (packaging/packages.test.ts).
 */
export function compileErrors(snippets: { name: string; code: string }[], scratchName: string): string[] {
  const scratch = fileURLToPath(new URL(`../${scratchName}/`, import.meta.url));
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  for (const { name, code } of snippets) {
    // `export {}` makes each block a module, so top-level await works and names do not clash.
    writeFileSync(join(scratch, `${name}.ts`), `${code}\nexport {};\n`);
  }
  // The compiler options the packages' tests use (contract-tests/tsconfig.json), for these files only.
  const config = { extends: join(root, "contract-tests/tsconfig.json"), compilerOptions: { noEmit: true }, files: snippets.map(({ name }) => `${name}.ts`) };
  writeFileSync(join(scratch, "tsconfig.json"), JSON.stringify(config));
  // Single-threaded, as the builds and the test checks: the test's other work fills the cores.
  const result = spawnSync(tsgo, ["-p", join(scratch, "tsconfig.json"), "--pretty", "false", "--singleThreaded"], { cwd: scratch, encoding: "utf8", timeout: 240_000 });
  if (result.error) throw result.error;
  if (result.status !== 0 && !/error TS\d+/.test(result.stdout)) throw new Error(`tsgo failed without a type error (${result.status}): ${result.stdout}${result.stderr}`);
  // `file.ts(line,col): error TS1234: message`, continuation lines indented below it.
  const errors: string[] = [];
  for (const line of result.stdout.split("\n")) {
    const error = /^(.+?)\((\d+),\d+\): error TS\d+: (.*)$/.exec(line);
    if (error) errors.push(`${error[1]!.replace(scratch, "")}:${error[2]}: ${error[3]}`);
    else if (line.trim() && errors.length > 0) errors[errors.length - 1] += ` ${line.trim()}`;
  }
  return errors;
}

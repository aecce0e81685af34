import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

// Samples cannot rot: code shown to readers is compiled against the built packages, each snippet as a
// module of its own, with the compiler options the packages use.
const root = fileURLToPath(new URL("../..", import.meta.url));

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

/** Type errors of each snippet, compiled together in one program (`name:line: message`). */
export function compileErrors(snippets: { name: string; code: string }[], scratchName: string): string[] {
  const scratch = fileURLToPath(new URL(`../${scratchName}/`, import.meta.url));
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  const files = snippets.map(({ name, code }) => {
    const file = join(scratch, `${name}.ts`);
    // `export {}` makes each block a module, so top-level await works and names do not clash.
    writeFileSync(file, `${code}\nexport {};\n`);
    return file;
  });
  const config = ts.getParsedCommandLineOfConfigFile(join(root, "contract-tests/tsconfig.json"), { noEmit: true }, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n"));
    },
  });
  const program = ts.createProgram(files, config!.options);
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const where = diagnostic.file ? `${diagnostic.file.fileName.replace(scratch, "")}:${diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start ?? 0).line + 1}` : "";
    return `${where}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, " ")}`;
  });
}


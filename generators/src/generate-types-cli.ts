// billing-generate-types --input <openapi.json> --output <file.ts> [--operations <file.ts>] [--check]
// With --check nothing is written; the exit code is 1 when the output file is missing or stale.
// A thin shell on @billing-api/cli-kit: openapi-typescript is loaded only once the options are read,
// so --help, --version and mistakes answer at once.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { Command } from "@billing-api/cli-kit";

// ---- billing-generate-types's usage ----------------------------------------------------------
const usage = `Usage: billing-generate-types --input <openapi.json> --output <file.ts> [--operations <file.ts>] [--check] [--version]

Generates the TypeScript types of an OpenAPI document with openapi-typescript and the project's
options, and with --operations the client's operation table (method and path of every operationId,
by tag). With --check nothing is written, and the exit code is 1 when a file is missing or stale.`;

// ---- billing-generate-types's options (--help and --version come with the Command) ------------
const options = {
  input: { type: "string" },
  output: { type: "string" },
  operations: { type: "string" },
  check: { type: "boolean", default: false },
} as const;

// ---- the shell -------------------------------------------------------------------------------
const command = new Command({ name: "billing-generate-types", usage, options, packageJson: new URL("../package.json", import.meta.url) });

async function main(): Promise<void> {
  const values = command.read()?.values;
  if (!values) return;
  if (!values.input || !values.output) return command.refuse("--input and --output are required.", { usage: true });

  const [{ generateOperationTable }, { generateTypes }] = await Promise.all([import("./operations.js"), import("./types.js")]);
  const outputs: [string, Promise<string>][] = [[values.output, generateTypes(resolve(values.input))]];
  if (values.operations) outputs.push([values.operations, generateOperationTable(resolve(values.input))]);
  for (const [file, generating] of outputs) {
    const generated = await generating;
    if (values.check) {
      const current = await readFile(resolve(file), "utf8").catch(() => undefined);
      if (current !== generated) {
        console.error(`${file} is stale: regenerate it from ${values.input}.`);
        process.exitCode = 1;
      } else console.log(`${file} is up to date.`);
      continue;
    }
    await mkdir(dirname(resolve(file)), { recursive: true });
    await writeFile(resolve(file), generated);
    console.log(`Wrote ${file}.`);
  }
}

await main();

// billing-generate-types --input <openapi.json> --output <file.ts> [--operations <file.ts>] [--check]
// With --check nothing is written; the exit code is 1 when the output file is missing or stale.
// openapi-typescript is loaded only once the options are read, so --help and mistakes answer at once.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";

const usage = `Usage: billing-generate-types --input <openapi.json> --output <file.ts> [--operations <file.ts>] [--check] [--version]

Generates the TypeScript types of an OpenAPI document with openapi-typescript and the project's
options, and with --operations the client's operation table (method and path of every operationId,
by tag). With --check nothing is written, and the exit code is 1 when a file is missing or stale.`;

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        input: { type: "string" },
        output: { type: "string" },
        operations: { type: "string" },
        check: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
        version: { type: "boolean", default: false },
      },
    }));
  } catch (error) {
    console.error(`billing-generate-types: ${(error as Error).message}\n\n${usage}`);
    return 2;
  }
  if (values.help) {
    console.log(usage);
    return 0;
  }
  if (values.version) {
    console.log((JSON.parse(await readFile(new URL("../package.json", import.meta.url), "utf8")) as { version: string }).version);
    return 0;
  }
  if (!values.input || !values.output) {
    console.error(`billing-generate-types: --input and --output are required.\n\n${usage}`);
    return 2;
  }

  const [{ generateOperationTable }, { generateTypes }] = await Promise.all([import("./operations.js"), import("./types.js")]);
  const outputs: [string, Promise<string>][] = [[values.output, generateTypes(resolve(values.input))]];
  if (values.operations) outputs.push([values.operations, generateOperationTable(resolve(values.input))]);
  let status = 0;
  for (const [file, generating] of outputs) {
    const generated = await generating;
    if (values.check) {
      const current = await readFile(resolve(file), "utf8").catch(() => undefined);
      if (current !== generated) {
        console.error(`${file} is stale: regenerate it from ${values.input}.`);
        status = 1;
      } else console.log(`${file} is up to date.`);
      continue;
    }
    await mkdir(dirname(resolve(file)), { recursive: true });
    await writeFile(resolve(file), generated);
    console.log(`Wrote ${file}.`);
  }
  return status;
}

process.exitCode = await main();

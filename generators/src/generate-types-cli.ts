// billing-generate-types --input <openapi.json> --output <file.ts> [--check]
// With --check nothing is written; the exit code is 1 when the output file is missing or stale.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";
import { generateTypes } from "./types.js";

const usage = `Usage: billing-generate-types --input <openapi.json> --output <file.ts> [--check]

Generates the TypeScript types of an OpenAPI document with openapi-typescript and the project's
options. With --check nothing is written, and the exit code is 1 when the file is missing or stale.`;

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        input: { type: "string" },
        output: { type: "string" },
        check: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
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
  if (!values.input || !values.output) {
    console.error(`billing-generate-types: --input and --output are required.\n\n${usage}`);
    return 2;
  }

  const output = resolve(values.output);
  const generated = await generateTypes(resolve(values.input));
  if (values.check) {
    const current = await readFile(output, "utf8").catch(() => undefined);
    if (current !== generated) {
      console.error(`${values.output} is stale: regenerate it from ${values.input}.`);
      return 1;
    }
    console.log(`${values.output} is up to date.`);
    return 0;
  }
  await mkdir(dirname(output), { recursive: true });
  await writeFile(output, generated);
  console.log(`Wrote ${values.output}.`);
  return 0;
}

process.exitCode = await main();

// billing-generate-samples --input <openapi.json> --output <openapi.json>
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";
import { generateCodeSamples } from "./code-samples.js";

const usage = `Usage: billing-generate-samples --input <openapi.json> --output <openapi.json>

Writes a copy of a bundled OpenAPI document with TypeScript and curl code samples (x-codeSamples)
on every operation, made from its named examples.`;

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ options: { input: { type: "string" }, output: { type: "string" }, help: { type: "boolean", short: "h", default: false } } }));
  } catch (error) {
    console.error(`billing-generate-samples: ${(error as Error).message}\n\n${usage}`);
    return 2;
  }
  if (values.help) {
    console.log(usage);
    return 0;
  }
  if (!values.input || !values.output) {
    console.error(`billing-generate-samples: --input and --output are required.\n\n${usage}`);
    return 2;
  }
  const output = resolve(values.output);
  await mkdir(dirname(output), { recursive: true });
  await writeFile(output, await generateCodeSamples(resolve(values.input)));
  console.log(`Wrote ${values.output}.`);
  return 0;
}

process.exitCode = await main();

// billing-generate-samples --input <openapi.json> --output <openapi.json>
// The generator is loaded only once the options are read, so --help and mistakes answer at once.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";

const usage = `Usage: billing-generate-samples --input <openapi.json> --output <openapi.json> [--version]

Writes a copy of a bundled OpenAPI document with TypeScript and curl code samples (x-codeSamples)
on every operation, made from its named examples.`;

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ options: { input: { type: "string" }, output: { type: "string" }, help: { type: "boolean", short: "h", default: false }, version: { type: "boolean", default: false } } }));
  } catch (error) {
    console.error(`billing-generate-samples: ${(error as Error).message}\n\n${usage}`);
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
    console.error(`billing-generate-samples: --input and --output are required.\n\n${usage}`);
    return 2;
  }
  const { generateCodeSamples } = await import("./code-samples.js");
  const output = resolve(values.output);
  await mkdir(dirname(output), { recursive: true });
  await writeFile(output, await generateCodeSamples(resolve(values.input)));
  console.log(`Wrote ${values.output}.`);
  return 0;
}

process.exitCode = await main();

// billing-generate-samples --input <openapi.json> --output <openapi.json>
// A thin shell on @billing-api/cli-kit: the generator is loaded only once the options are read, so
// --help, --version and mistakes answer at once.
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { Command } from "@billing-api/cli-kit";

// ---- billing-generate-samples's usage --------------------------------------------------------
const usage = `Usage: billing-generate-samples --input <openapi.json> --output <openapi.json> [--version]

Writes a copy of a bundled OpenAPI document with TypeScript and curl code samples (x-codeSamples)
on every operation, made from its named examples.`;

// ---- billing-generate-samples's options (--help and --version come with the Command) ----------
const options = {
  input: { type: "string" },
  output: { type: "string" },
} as const;

// ---- the shell -------------------------------------------------------------------------------
const command = new Command({ name: "billing-generate-samples", usage, options, packageJson: new URL("../package.json", import.meta.url) });

async function main(): Promise<void> {
  const values = command.read()?.values;
  if (!values) return;
  if (!values.input || !values.output) return command.refuse("--input and --output are required.", { usage: true });
  const { generateCodeSamples } = await import("./code-samples.js");
  const output = resolve(values.output);
  await mkdir(dirname(output), { recursive: true });
  await writeFile(output, await generateCodeSamples(resolve(values.input)));
  console.log(`Wrote ${values.output}.`);
}

await main();

// node dist/build-page.js: the docs task. Writes dist/openapi.json (the bundle with its code
// samples, each body's example variant first) and dist/index.html (Redocly's page without its
// prerendered copy, sealed for offline use, with a <base> that spares its router a search of the
// page at every link, and our CSS), and says so in one line.
// Redocly's build-docs has no programmatic API, so it runs as a child whose chatter (a Node
// end-of-life banner, a Redoc 3 notice) is shown only if it fails.
import { execFile } from "node:child_process";
import { mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { withCodeSamples, withExampleVariantsFirst } from "@billing-api/generators";
import { openapiJsonPath } from "@billing-api/spec";
import { withoutPrerender } from "./client-rendered.js";
import { withLinkBase } from "./link-base.js";
import { sealForOffline } from "./offline-page.js";
import { withPageStyle } from "./page-style.js";

const packageDir = fileURLToPath(new URL("..", import.meta.url));
const withSamples = join(packageDir, "dist/openapi.json");
const page = join(packageDir, "dist/index.html");
const config = join(packageDir, "../../redocly.yaml");
const redocly = join(dirname(createRequire(import.meta.url).resolve("@redocly/cli/package.json")), "bin/cli.js");

async function main(): Promise<number> {
  await mkdir(dirname(withSamples), { recursive: true });
  // The docs' own copy: code samples on every operation, each body's example variant shown first.
  const bundle = JSON.parse(await readFile(openapiJsonPath, "utf8")) as Parameters<typeof withCodeSamples>[0];
  await writeFile(withSamples, `${JSON.stringify(withExampleVariantsFirst(withCodeSamples(bundle)), null, 2)}\n`);
  try {
    await promisify(execFile)(
      process.execPath,
      [redocly, "build-docs", "--config", config, withSamples, "--inlineBundle", "--output", page],
      { env: { ...process.env, REDOCLY_TELEMETRY: "off" }, maxBuffer: 16 * 1024 * 1024 },
    );
  } catch (error) {
    const { stdout = "", stderr = "" } = error as { stdout?: string; stderr?: string };
    console.error(`${stdout}${stderr}`.trim());
    console.error("billing-docs: redocly build-docs failed (its output is above).");
    return 1;
  }
  await writeFile(page, withPageStyle(withLinkBase(sealForOffline(withoutPrerender(await readFile(page, "utf8"))))));
  const { size } = await stat(page);
  console.log(`Wrote dist/index.html (${(size / 1024 / 1024).toFixed(1)} MB, self-contained) from dist/openapi.json.`);
  return 0;
}

process.exitCode = await main();

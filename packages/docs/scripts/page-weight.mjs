// npm run page-weight -w @billing-api/docs [-- path/to/index.html]
// What the reference page weighs, part by part: bytes and gzip -9 of Redoc's script, the definition
// (and its biggest members), any prerendered markup and CSS, our style, the frame, and the inline
// fonts and images. A measurement, not a test: it prints, so a figure in a commit can be reproduced.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { inlineAssets, pageParts, weight } from "../dist/page-parts.js";

const file = process.argv[2] ?? fileURLToPath(new URL("../dist/index.html", import.meta.url));
const html = readFileSync(file, "utf8");

const number = (value) => value.toLocaleString("en-US");
const rows = [];
const row = (name, text) => rows.push([name, weight(text)]);

const parts = pageParts(html);
for (const { name, text } of parts) row(name, text);
const definition = parts.find((part) => part.name.startsWith("definition"))?.text ?? "";
if (definition) {
  const document = JSON.parse(definition);
  for (const key of ["paths", "webhooks", "components"]) if (document[key]) row(`  definition: ${key}`, JSON.stringify(document[key]));
  const samples = [];
  const examples = [];
  (function walk(node) {
    if (!node || typeof node !== "object") return;
    for (const [key, value] of Object.entries(node)) {
      if (key === "x-codeSamples") samples.push(JSON.stringify(value));
      else if (key === "examples" && !Array.isArray(value)) examples.push(JSON.stringify(value));
      else walk(value);
    }
  })(document);
  row(`  definition: examples (${examples.length} maps)`, examples.join(""));
  row(`  definition: x-codeSamples (${samples.length} operations)`, samples.join(""));
}
for (const { type, count, bytes } of inlineAssets(html)) rows.push([`  inline ${type} (${count})`, { bytes, gzip: NaN }]);
rows.push(["whole page", weight(html)]);
// GNU gzip -9 packs a little tighter than zlib's level 9 (used above and by the size test).
try {
  rows.push(["whole page, GNU gzip -9", { bytes: NaN, gzip: execFileSync("gzip", ["-9c"], { input: html, maxBuffer: 64 * 1024 * 1024 }).length }]);
} catch {
  // no gzip on this machine: the zlib figure stands alone
}

const width = Math.max(...rows.map(([name]) => name.length));
console.log(`${file}\n${"part".padEnd(width)}  ${"bytes".padStart(10)}  ${"gzip -9".padStart(9)}`);
const cell = (value) => (Number.isNaN(value) ? "" : number(value));
for (const [name, { bytes, gzip }] of rows) {
  console.log(`${name.padEnd(width)}  ${cell(bytes).padStart(10)}  ${cell(gzip).padStart(9)}`);
}

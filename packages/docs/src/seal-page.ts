// billing-docs-seal FILE: adds the offline Content-Security-Policy to a built page, in place.
import { readFileSync, writeFileSync } from "node:fs";
import { sealForOffline } from "./offline-page.js";

const [file] = process.argv.slice(2);
if (!file) {
  console.error("Usage: node dist/seal-page.js FILE.html");
  process.exitCode = 2;
} else {
  writeFileSync(file, sealForOffline(readFileSync(file, "utf8")));
}

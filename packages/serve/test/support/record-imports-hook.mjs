// The module hook behind record-imports.mjs (hooks run on their own thread, so it writes to a file).
import { appendFileSync } from "node:fs";

export async function resolve(specifier, context, nextResolve) {
  const result = await nextResolve(specifier, context);
  const file = process.env.RECORD_IMPORTS_FILE;
  if (file && result.url.startsWith("file:")) appendFileSync(file, `${result.url}\n`);
  return result;
}

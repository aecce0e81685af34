/**
 * Prism's model of a document's operations, what its mocker answers from. Prism derives it by
 * dereferencing the whole document, decycling it and bundling each operation again: about a third
 * of a second of CPU, and some 400 modules to load, at every start of every mock process. For the
 * bundled document it is derived once, when the mock is built (build-operations.ts), and saved as
 * JSON under dist/prism-operations/, named by a hash of Prism's version and the document's text. A
 * mock of any other document, of this one after a change, or under another Prism derives it as
 * before: what is saved is used only for the very text, and the very Prism, it was derived from.
 */
import { createHash } from "node:crypto";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import type { IHttpOperation } from "@stoplight/types";

// CommonJS, required where it is needed: a mock of the bundled document never loads Prism's
// document reader (json-schema-ref-parser, http-spec's OpenAPI, Swagger and Postman importers).
const require = createRequire(import.meta.url);
const prismVersion = (require("@stoplight/prism-http/package.json") as { version: string }).version;
const savedDir = new URL("./prism-operations/", import.meta.url);

/** The name the operations of `text` are saved under: Prism's version and the text, hashed. */
export function savedName(text: string): string {
  return `${createHash("sha256").update(`prism-http ${prismVersion}\n`).update(text).digest("hex").slice(0, 32)}.json`;
}

/** Prism's own derivation, from the document at `path` (its references resolved from there). */
export async function deriveOperations(path: string): Promise<IHttpOperation[]> {
  const { getHttpOperationsFromSpec } = require("@stoplight/prism-http/dist/utils/operations.js") as typeof import("@stoplight/prism-http");
  return getHttpOperationsFromSpec(path);
}

/** What was saved at build time for exactly this text, or undefined (not the bundled document, or unreadable). */
export async function savedOperations(text: string): Promise<IHttpOperation[] | undefined> {
  try {
    return JSON.parse(await readFile(new URL(savedName(text), savedDir), "utf8")) as IHttpOperation[];
  } catch {
    return undefined;
  }
}

/** The operations of the document at `path`, whose text is `text`: saved ones when there are, derived otherwise. */
export async function operationsOf(path: string, text: string): Promise<IHttpOperation[]> {
  const operations = (await savedOperations(text)) ?? (await deriveOperations(path));
  if (operations.length === 0) throw new Error(`${path} has no operations to mock.`);
  return operations;
}

/** Derives and saves the operations of the document at `path` (the build's step), in place of any saved before. */
export async function saveOperations(path: string): Promise<string> {
  const text = await readFile(path, "utf8");
  const operations = await deriveOperations(path);
  await rm(savedDir, { recursive: true, force: true });
  await mkdir(savedDir, { recursive: true });
  const file = new URL(savedName(text), savedDir);
  await writeFile(file, JSON.stringify(operations));
  return file.pathname;
}

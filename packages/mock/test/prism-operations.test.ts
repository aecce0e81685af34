import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openapiJsonPath } from "@billing-api/spec";
import { afterAll, describe, expect, test } from "vitest";
import { deriveOperations, operationsOf, savedName, savedOperations } from "../dist/prism-operations.js";

// Prism's operations of the bundled document are derived when the mock is built and read at start
// (src/prism-operations.ts; the built module is imported, beside what it saved): they must be exactly
// what Prism derives, and be used for no other text.
const text = readFileSync(openapiJsonPath, "utf8");
const scratch = mkdtempSync(join(tmpdir(), "prism-operations-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** As a saved copy holds them: through JSON. */
const asJson = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;

describe("Prism's operations, saved at build time", () => {
  test("the saved operations of the bundled document are Prism's own derivation of it, operation for operation", async () => {
    const saved = await savedOperations(text);
    expect(saved, `no dist/prism-operations/${savedName(text)}: build the mock (npm run build -w @billing-api/mock)`).toBeDefined();
    const derived = await deriveOperations(openapiJsonPath);
    expect(saved!.map((operation) => operation.iid)).toEqual(derived.map((operation) => operation.iid));
    expect(saved).toEqual(asJson(derived));
  });

  test("a document that differs by one byte has none saved, and its operations are derived from it", async () => {
    const path = join(scratch, "openapi.json");
    // The same document with one summary changed: Prism's model of it must show the change.
    const changed = text.replace('"summary": "Read customer"', '"summary": "Read one customer"');
    expect(changed).not.toBe(text);
    writeFileSync(path, changed);
    expect(savedName(changed)).not.toBe(savedName(text));
    expect(await savedOperations(changed)).toBeUndefined();
    const operations = await operationsOf(path, changed);
    expect(operations.find((operation) => operation.iid === "readCustomer")?.summary).toBe("Read one customer");
  });

  test("a document without operations is refused by name", async () => {
    const path = join(scratch, "empty.json");
    const empty = JSON.stringify({ openapi: "3.1.0", info: { title: "Empty", version: "1" }, paths: {} });
    writeFileSync(path, empty);
    await expect(operationsOf(path, empty)).rejects.toThrow(`${path} has no operations to mock.`);
  });
});

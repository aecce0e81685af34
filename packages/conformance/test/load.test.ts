import { readFile } from "node:fs/promises";
import { ConformanceCheck } from "@billing-api/conformance";
import { openapiJsonPath } from "@billing-api/spec";
import { describe, expect, test } from "vitest";

// A mock and a verifier in one process (a test suite's globalSetup, say) judge one document with one
// checker, and its compiled validators; a different document, or the same file changed, gets its own.
describe("ConformanceCheck.load and parse", () => {
  test("the same document, loaded or parsed again, is the same checker; its judgement is unchanged", async () => {
    const text = await readFile(openapiJsonPath, "utf8");
    const loaded = await ConformanceCheck.load();
    expect(await ConformanceCheck.load(openapiJsonPath)).toBe(loaded);
    expect(ConformanceCheck.parse(text)).toBe(loaded);
    const exchange = {
      method: "GET",
      target: "/customers/150.json",
      requestHeaders: { authorization: `Basic ${btoa("key:x")}` },
      status: 200,
      responseHeaders: { "content-type": "application/json" },
      responseBody: JSON.stringify({ customer: { id: "not a number" } }),
    };
    const first = loaded.check(exchange);
    expect(first.operationId).toBe("readCustomer");
    expect(first.violations.length).toBeGreaterThan(0);
    expect(ConformanceCheck.parse(text).check(exchange)).toEqual(first);
  });

  test("another text is another checker, that judges by that text", async () => {
    const document = JSON.parse(await readFile(openapiJsonPath, "utf8")) as { info: { title: string }; paths: Record<string, unknown> };
    const bundled = await ConformanceCheck.load();
    delete document.paths["/customers/{id}.json"];
    const changed = ConformanceCheck.parse(JSON.stringify(document));
    expect(changed).not.toBe(bundled);
    expect(changed.operations.some((operation) => operation.path === "/customers/{id}.json")).toBe(false);
    expect(bundled.operations.some((operation) => operation.path === "/customers/{id}.json")).toBe(true);
  });

  test("text that is not JSON is refused each time, never kept", () => {
    expect(() => ConformanceCheck.parse("{ not json")).toThrow(SyntaxError);
    expect(() => ConformanceCheck.parse("{ not json")).toThrow(SyntaxError);
  });
});

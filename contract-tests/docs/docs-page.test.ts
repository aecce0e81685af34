import { readFileSync } from "node:fs";
import { docsHtmlPath, serveDocs } from "@billing-api/docs";
import { describe, expect, test } from "vitest";
import { operations } from "../support/spec.js";

const html = readFileSync(docsHtmlPath, "utf8");

describe("API reference page", () => {
  test.each(operations.map((entry) => [entry.operationId, entry] as const))("documents %s", (_id, entry) => {
    const summary = (entry.operation as unknown as { summary: string }).summary;
    // Redoc renders the page in the browser from the definition inlined in the page.
    expect(html).toContain(`"operationId":"${entry.operationId}"`);
    expect(html).toContain(`"summary":"${summary}"`);
    expect(html).toContain(JSON.stringify(entry.path));
  });

  test("loads no external script, stylesheet or font", () => {
    const external = [
      ...html.matchAll(/<script\b[^>]*\bsrc\s*=\s*["']?([^"' >]+)/gi),
      ...html.matchAll(/<link\b[^>]*\bhref\s*=\s*["']?([^"' >]+)/gi),
      ...html.matchAll(/@import\s+(?:url\()?["']?(https?:[^"')]+)/gi),
    ].map((match) => match[1]);
    expect(external).toEqual([]);
  });

  test("inlines Redoc and the spec, so it renders offline", () => {
    expect(html.length).toBeGreaterThan(500_000);
    expect(html).toContain("__redoc_definition");
    expect(html).toContain('<div id="redoc"');
  });

  test("is served at / on loopback", async () => {
    const docs = await serveDocs({ port: 0 });
    try {
      expect(docs.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const page = await fetch(`${docs.url}/`);
      expect(page.status).toBe(200);
      expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
      expect(await page.text()).toBe(html);
      const missing = await fetch(`${docs.url}/nope.js`);
      expect(missing.status).toBe(404);
    } finally {
      await docs.close();
    }
  });
});

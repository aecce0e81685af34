import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { docsHtmlPath, serveDocs } from "@billing-api/docs";
import { describe, expect, test } from "vitest";
import { document, operations } from "@billing-api/test-support/spec";

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

  test("names no remote image or icon Redoc would fetch (its CDN logo is inlined)", () => {
    expect(html.match(/https:\/\/cdn\.redoc(ly)?\.(ly|com)\/[^"'`\s)]*\.(svg|png|ico|woff2?)/g) ?? []).toEqual([]);
  });

  test("forbids the browser any request outside the page (Content-Security-Policy)", () => {
    const policy = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1];
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain("connect-src 'none'");
    expect(policy).toContain("img-src data: blob:");
    expect(html.indexOf("Content-Security-Policy")).toBeLessThan(html.indexOf("<script"));
  });

  test("server descriptions are plain text: Redoc shows them without rendering Markdown", () => {
    const texts = document.servers.flatMap((server) => [
      (server as { description?: string }).description ?? "",
      ...Object.values(server.variables ?? {}).map((variable) => (variable as { description?: string }).description ?? ""),
    ]);
    expect(texts.filter((text) => /[`*_[\]]/.test(text))).toEqual([]);
  });

  test("size: the page stays within its measured size (3,205,796 B, 784,950 B gzip, with the webhooks) and 2% headroom", () => {
    // Three quarters of it is Redoc's own script, inlined whole by build-docs (packages/docs/README.md
    // has the breakdown); a page that grows past this has gained something worth a look.
    const bytes = Buffer.byteLength(html);
    const gzipped = gzipSync(html, { level: 9 }).length;
    expect(bytes, `${bytes} B`).toBeLessThanOrEqual(3_270_000);
    expect(gzipped, `${gzipped} B gzip`).toBeLessThanOrEqual(801_000);
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

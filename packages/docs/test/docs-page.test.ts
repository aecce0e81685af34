import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { docsHtmlPath, serveDocs } from "@billing-api/docs";
import { describe, expect, test } from "vitest";
import { document, operations } from "@billing-api/test-support/spec";
import { loadingText, withoutPrerender } from "../src/client-rendered.js";
import { linkBase, withLinkBase } from "../src/link-base.js";
import { pageParts, weight } from "../src/page-parts.js";

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

  test("has one inert <base> (target _self, no href), after the policy and before any script, for Redoc's router to find at once", () => {
    const head = html.slice(0, html.indexOf("</head>"));
    expect(html.match(/<base\b[^>]*>/g)).toEqual([linkBase]);
    expect(head.indexOf(linkBase)).toBeGreaterThan(head.indexOf("Content-Security-Policy"));
    expect(head.indexOf(linkBase)).toBeLessThan(html.indexOf("<script"));
  });

  test("withLinkBase puts the <base> after the policy, or first in <head>, once", () => {
    const policy = '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'" />';
    expect(withLinkBase(`<html><head>${policy}<title>t</title></head></html>`)).toBe(`<html><head>${policy}\n  ${linkBase}<title>t</title></head></html>`);
    expect(withLinkBase("<html><head><title>t</title></head></html>")).toBe(`<html><head>\n  ${linkBase}<title>t</title></head></html>`);
    expect(withLinkBase(html)).toBe(html);
    // A page with a base of its own keeps it: a second one would be ignored by the browser anyway.
    const own = '<html><head><base href="/docs/"></head></html>';
    expect(withLinkBase(own)).toBe(own);
    expect(() => withLinkBase("<html><body></body></html>")).toThrow("no <head>");
  });

  test("server descriptions are plain text: Redoc shows them without rendering Markdown", () => {
    const texts = document.servers.flatMap((server) => [
      (server as { description?: string }).description ?? "",
      ...Object.values(server.variables ?? {}).map((variable) => (variable as { description?: string }).description ?? ""),
    ]);
    expect(texts.filter((text) => /[`*_[\]]/.test(text))).toEqual([]);
  });

  test("size: the page stays within its measured size (2,901,646 B, 737,273 B gzip) and 2% headroom", () => {
    // 79% of the bytes and 89% of the gzip are Redoc's own script, inlined whole by build-docs
    // (npm run page-weight prints the breakdown; packages/docs/README.md has it); a page that grows
    // past this has gained something worth a look.
    const bytes = Buffer.byteLength(html);
    const gzipped = gzipSync(html, { level: 9 }).length;
    expect(bytes, `${bytes} B`).toBeLessThanOrEqual(2_960_000);
    expect(gzipped, `${gzipped} B gzip`).toBeLessThanOrEqual(752_000);
  });

  test("size: page-weight finds every part, and the parts add up to the page", () => {
    const parts = pageParts(html);
    expect(parts.reduce((sum, part) => sum + weight(part.text).bytes, 0)).toBe(Buffer.byteLength(html));
    const text = (name: string) => parts.find((part) => part.name.startsWith(name))?.text ?? "";
    expect(weight(text("Redoc script")).bytes).toBeGreaterThan(1_000_000);
    expect(JSON.parse(text("definition")).info).toEqual(document.info);
  });

  test("carries no prerendered copy: Redoc renders the page in the browser, from the script and the definition", () => {
    const parts = pageParts(html);
    const text = (name: string) => parts.find((part) => part.name.startsWith(name))?.text;
    expect(text("prerendered CSS")).toBe("");
    expect(text("prerendered HTML")).toBe(loadingText);
    expect(html).not.toContain("data-styled=");
    // The colour-mode snippet stays, in the head, so a dark-mode reader gets no light flash.
    expect(html.indexOf('localStorage.getItem("redoc.colorMode")')).toBeGreaterThan(-1);
    expect(html.indexOf('localStorage.getItem("redoc.colorMode")')).toBeLessThan(html.indexOf("</head>"));
    expect(withoutPrerender(html)).toBe(html);
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

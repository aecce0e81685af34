import { existsSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { docsHtmlPath } from "@billing-api/docs";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

// The reference page in a real browser (Debian's chromium, never a downloaded one), opened from
// file:// as a reader would open the artefact: it renders, and asks nothing of the network.
const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const haveBrowser = existsSync(executablePath);
if (!haveBrowser) {
  console.warn(`docs-browser: skipped, no browser at ${executablePath} (apt-get install chromium, or set CHROMIUM_PATH).`);
}

describe.skipIf(!haveBrowser)("API reference page in Chromium", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    });
  });
  afterAll(() => browser?.close());

  test("renders from file:// without attempting a single request outside the page", async () => {
    const page = await browser.newPage();
    const outside: string[] = [];
    page.on("request", (request) => {
      const url = request.url();
      if (!url.startsWith("file:") && !url.startsWith("data:") && !url.startsWith("blob:")) outside.push(url);
    });
    const problems: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") problems.push(message.text());
    });
    page.on("pageerror", (error) => problems.push(error.message));
    await page.route(/^(?!file:|data:|blob:)/, (route) => route.abort());

    await page.goto(pathToFileURL(docsHtmlPath).href);
    await page.getByText("Payment Profiles", { exact: true }).first().click();
    await page.getByText("Read payment profile").first().click();
    await expect.poll(() => page.getByText("Martha's ACH bank account (customer 150)").count()).toBeGreaterThan(0);
    await page.waitForTimeout(500);

    expect(outside).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);
});

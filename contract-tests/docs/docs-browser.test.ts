import { existsSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { docsHtmlPath } from "@billing-api/docs";
import { chromium, type Browser, type Page } from "playwright-core";
import { operations } from "../support/spec.js";
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

  /** The page from file://, every request outside it blocked and recorded, console errors collected. */
  async function openPage(hash = ""): Promise<{ page: Page; outside: string[]; problems: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const outside: string[] = [];
    const problems: string[] = [];
    page.on("request", (request) => {
      if (!/^(file|data|blob):/.test(request.url())) outside.push(request.url());
    });
    page.on("console", (message) => {
      if (message.type() === "error") problems.push(message.text());
    });
    page.on("pageerror", (error) => problems.push(error.message));
    await page.route(/^(?!file:|data:|blob:)/, (route) => route.abort());
    await page.goto(pathToFileURL(docsHtmlPath).href + hash);
    await page.locator('[data-component-name="Menu/MenuItem"]').first().waitFor();
    return { page, outside, problems };
  }
  const screenshots = join(dirname(docsHtmlPath), "screenshots");

  test("renders from file:// without attempting a single request outside the page", async () => {
    const { page, outside, problems } = await openPage();
    await page.getByText("Payment Profiles", { exact: true }).first().click();
    await page.getByText("Read payment profile").first().click();
    await expect.poll(() => page.getByText("Martha's ACH bank account (customer 150)").count()).toBeGreaterThan(0);
    await page.waitForTimeout(500);

    expect(outside).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);

  test("every operation is listed in the sidebar, under the tag groups", async () => {
    const { page, problems } = await openPage();
    for (const group of ["Managing subscriptions", "Payment profiles", "Subscription groups", "Billing Portal"]) {
      await expect.poll(() => page.getByText(group, { exact: true }).count()).toBeGreaterThan(0);
    }
    // Tags start collapsed: open each one, then read every menu entry.
    const tags = ["Customers", "Subscriptions", "Coupons", "Payment Profiles", "Subscription Groups", "Billing Portal", "Portal Sessions"];
    const entries: string[] = [];
    for (const tag of tags) {
      await page.locator('[data-component-name="Menu/MenuItem"]', { hasText: new RegExp(`^${tag}$`) }).last().click();
      await page.waitForTimeout(200);
      entries.push(...(await page.locator('[data-component-name="Menu/MenuItem"]').allInnerTexts()));
    }
    const listed = new Set(entries.map((text) => text.replace(/\s*(GET|POST|PUT|DELETE|PATCH)$/, "").trim()));
    const summaries = operations.map(({ operation }) => (operation as { summary?: string }).summary ?? "");
    expect(summaries).toHaveLength(operations.length);
    const missing = summaries.filter((summary) => !listed.has(summary));
    expect(missing).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);

  test("search finds the management link", async () => {
    const { page, outside } = await openPage();
    await page.getByText("Search", { exact: false }).first().click();
    await page.locator('input[placeholder="Search docs..."]').fill("management link");
    const results = page.locator('[data-component-name="Search/SearchItem"]');
    await expect.poll(() => results.count()).toBeGreaterThan(0);
    expect((await results.allInnerTexts()).join("\n")).toContain("Read Billing Portal management link");
    expect(outside).toEqual([]);
    await page.close();
  }, 60_000);

  test("the payment profile response shows its four variants by name", async () => {
    const { page } = await openPage("#tag/Payment-Profiles/operation/readPaymentProfile");
    for (const variant of ["credit_card", "bank_account", "paypal_account", "apple_pay"]) {
      await expect.poll(() => page.locator("button", { hasText: new RegExp(`^${variant}$`) }).count(), { message: variant }).toBeGreaterThan(0);
    }
    await page.close();
  }, 60_000);

  test("operations show their code samples: TypeScript first, curl a click away", async () => {
    const { page } = await openPage("#tag/Payment-Profiles/operation/createPaymentProfile");
    const shown = (text: string) => async () => (await page.locator("body").innerText()).includes(text);
    await expect.poll(shown("billing.paymentProfiles.createPaymentProfile(")).toBe(true);
    await page.locator('button[aria-haspopup="menu"]', { hasText: /^TypeScript$/ }).first().click();
    await page.locator('[data-component-name="Dropdown/DropdownMenuItem"]', { hasText: /^curl$/ }).first().click();
    await expect.poll(shown("curl -X POST 'https://acme.chargify.com/payment_profiles.json'")).toBe(true);
    await page.close();
  }, 60_000);

  test("screenshots of the top and of createPaymentProfile are written as build artefacts", async () => {
    mkdirSync(screenshots, { recursive: true });
    const top = await openPage();
    await top.page.waitForTimeout(300);
    await top.page.screenshot({ path: join(screenshots, "top.png") });
    await top.page.close();
    const create = await openPage("#tag/Payment-Profiles/operation/createPaymentProfile");
    await create.page.getByText("Create payment profile").first().waitFor();
    await create.page.waitForTimeout(500);
    await create.page.screenshot({ path: join(screenshots, "create-payment-profile.png") });
    await create.page.close();
    expect(existsSync(join(screenshots, "top.png")) && existsSync(join(screenshots, "create-payment-profile.png"))).toBe(true);
    expect(top.outside.concat(create.outside)).toEqual([]);
  }, 60_000);
});

import { existsSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { docsHtmlPath } from "@billing-api/docs";
import { chromium, type Browser, type Page } from "playwright-core";
import { document as spec, operations } from "@billing-api/test-support/spec";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { loadingText } from "../src/client-rendered.js";

// The reference page in a real browser (Debian's chromium, never a downloaded one), opened from
// file:// as a reader would open the artefact: it renders, and asks nothing of the network.
// The machine is shared: every wait is for a condition, with room for a busy machine (Redoc renders
// the whole page in the browser, from a 2 MB script), and nothing is judged by how long it took.
// The page is loaded once for the file, and the tests go from address to address on it as a reader
// does: each load costs the browser about 5 s of CPU, each address Redoc renders about 0.5 s.
const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const haveBrowser = existsSync(executablePath);
if (!haveBrowser) {
  console.warn(`docs-browser: skipped, no browser at ${executablePath} (apt-get install chromium, or set CHROMIUM_PATH).`);
}

/** What the page documents: every operation and every webhook, with its tag and its summary. */
interface Documented {
  operationId: string;
  summary: string;
  tag: string;
  webhook: boolean;
}
const webhooks = Object.values((spec.webhooks ?? {}) as Record<string, Record<string, unknown>>).flatMap((item) =>
  Object.values(item).filter((entry): entry is { operationId: string } => typeof entry === "object" && entry !== null && "operationId" in entry),
);
const documented: Documented[] = [...operations.map((entry) => entry.operation), ...webhooks].map((operation) => {
  const { operationId, summary, tags } = operation as unknown as { operationId: string; summary: string; tags: string[] };
  return { operationId, summary, tag: tags[0]!, webhook: webhooks.includes(operation as { operationId: string }) };
});
const tags = [...new Set(documented.map((entry) => entry.tag))];

describe.skipIf(!haveBrowser)("API reference page in Chromium", () => {
  let browser: Browser;
  let page: Page;
  /** Every request the page attempted outside itself, and every console error, since it loaded. */
  const outside: string[] = [];
  const problems: string[] = [];
  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    // Playwright waits 30 s by default; parsing the page's script alone can take longer on a busy machine.
    page.setDefaultTimeout(150_000);
    page.setDefaultNavigationTimeout(150_000);
    page.on("request", (request) => {
      if (!/^(file|data|blob):/.test(request.url())) outside.push(request.url());
    });
    page.on("console", (message) => {
      if (message.type() === "error") problems.push(message.text());
    });
    page.on("pageerror", (error) => problems.push(error.message));
    await page.route(/^(?!file:|data:|blob:)/, (route) => route.abort());
    await page.goto(pathToFileURL(docsHtmlPath).href);
    await page.locator('[data-component-name="Menu/MenuItem"]').first().waitFor();
  });
  afterAll(() => browser?.close());

  // The tests share the page. One that fails leaves what the page logged and a screenshot of it, and
  // the page is loaded again for the tests after it: whatever state it broke (Redoc's script
  // stopped, a menu stuck open) is one failure, not a wait of minutes in each test that follows.
  let logged = 0;
  beforeEach(() => {
    logged = problems.length;
  });
  afterEach(async ({ task }) => {
    // Whatever a test did as a reader does (links, search, the sample picker), the page logs no error.
    const logs = problems.slice(logged);
    if (task.result?.state === "fail") {
      mkdirSync(screenshots, { recursive: true });
      await page.screenshot({ path: join(screenshots, `failed-${task.name.replace(/[^a-z0-9]+/gi, "-").slice(0, 60)}.png`) }).catch(() => undefined);
      if (logs.length > 0) console.error(`docs-browser: "${task.name}": the page logged ${logs.join(" | ")}`);
      await page.reload();
      await page.locator('[data-component-name="Menu/MenuItem"]').first().waitFor();
    }
    expect(logs, "what the page logged during the test").toEqual([]);
  });

  /**
   * An operation's address as the sidebar links to it: its tag's page (the group entry's link,
   * `#/payment-profiles`), then its operationId in lower case. Redoc 3 also redirects Redoc 2's
   * `#tag/Payment-Profiles/operation/createPaymentProfile`, but that redirect, taken on an open page,
   * now and then ends on Redoc's "No page at this address": the tests use the addresses the page
   * itself gives (the walk below checks that every sidebar entry links where this says).
   */
  async function address(operationId: string, tag: string) {
    // The group's own link (an open group holds its entries too, beside this link).
    const group = page.locator('[data-component-name="Menu/MenuItem"].menu-item-type-group > a', { hasText: new RegExp(`^${tag}$`) }).first();
    return `${await group.getAttribute("href")}/${operationId.toLowerCase()}`;
  }
  /** Follows a link to one operation (its address, as a shared link has it) and waits for its section. */
  async function show(operationId: string, tag = "Payment Profiles") {
    // A menu a test above left open (it failed half-way) must not hide the section.
    await page.keyboard.press("Escape");
    const hash = await address(operationId, tag);
    await page.evaluate((hash) => {
      window.location.hash = hash;
    }, hash);
    const section = page.locator(`[data-section-id$="/${operationId.toLowerCase()}"]`).first();
    await section.locator(":is(h1, h2)").first().waitFor();
    return section;
  }
  /** Picks the language of the code samples (Redoc keeps the choice from one operation to the next). */
  async function chooseSample(from: string, to: string) {
    await page.locator('button[aria-haspopup="menu"]', { hasText: new RegExp(`^${from}$`) }).first().click();
    await page.locator('[data-component-name="Dropdown/DropdownMenuItem"]', { hasText: new RegExp(`^${to}$`) }).first().click();
  }
  const screenshots = join(dirname(docsHtmlPath), "screenshots");
  test("screenshots of the top and of createPaymentProfile are written as build artefacts", async () => {
    mkdirSync(screenshots, { recursive: true });
    // The page as it opens: the first test of the file, before any other has moved it.
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(screenshots, "top.png") });
    await show("createPaymentProfile");
    await page.getByText("Create payment profile").first().waitFor();
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(screenshots, "create-payment-profile.png") });
    expect(existsSync(join(screenshots, "top.png")) && existsSync(join(screenshots, "create-payment-profile.png"))).toBe(true);
  });

  test("renders from file:// without attempting a single request outside the page", async () => {
    // Redoc replaced the container's loading line with the page.
    expect(await page.locator("#redoc").innerText()).not.toContain(loadingText);
    // A reader's click in the sidebar, from an operation of the same tag (so the tag is open).
    await show("createPaymentProfile");
    await page.locator('[data-component-name="Menu/MenuItem"].menu-item-type-operation', { hasText: /^Read payment profile/ }).first().click();
    await expect.poll(() => page.getByText("Martha's ACH bank account (customer 150)").count()).toBeGreaterThan(0);
    await page.waitForTimeout(500);

    expect(outside).toEqual([]);
    expect(problems).toEqual([]);
  });

  // Redoc renders the operation at the address (and lists its neighbours): go to each operation's
  // address, as a shared link would, and read its heading there. A tag's entries are listed in the
  // sidebar while it is open, and Redoc opens the tag of the operation shown: at each tag's first
  // operation, its entries are read there (clicking a tag would toggle it, and one may be open
  // already), each linking to the address its operation was found at. 88 addresses, each a render
  // of its own. The walk runs in the page, in one evaluate: a round trip to the browser per poll
  // cost more CPU than Redoc's render of some addresses (about 3 s of the walk's 16).
  test("every operation and every webhook is listed in the sidebar under its tag group, and renders at its own address with its summary as heading", async () => {
    for (const group of ["Managing subscriptions", "Payment profiles", "Subscription groups", "Billing Portal", "Webhooks"]) {
      await expect.poll(() => page.getByText(group, { exact: true }).count()).toBeGreaterThan(0);
    }
    expect(documented.length).toBe(operations.length + webhooks.length);
    expect(webhooks.length).toBeGreaterThan(0);
    const stops = documented.map(({ operationId, summary, tag, webhook }, index) => ({
      id: operationId.toLowerCase(),
      tag,
      // A webhook's heading ends with Redoc's "Webhook" badge.
      heading: webhook ? `${summary}Webhook` : summary,
      // At a tag's first operation: every entry of the tag, as the sidebar should list it.
      entries: documented.findIndex((entry) => entry.tag === tag) === index ? documented.filter((entry) => entry.tag === tag).map((entry) => ({ summary: entry.summary, id: entry.operationId.toLowerCase() })) : [],
    }));
    const walked = await page.evaluate(async ({ stops, patience }) => {
      const groupLinks = new Map(
        Array.from(document.querySelectorAll('[data-component-name="Menu/MenuItem"].menu-item-type-group > a')).map((a) => [a.textContent?.trim(), a.getAttribute("href")]),
      );
      /** The sidebar's operation entries as a reader reads them (without the method badge), and where each links. */
      const shown = () =>
        Array.from(document.querySelectorAll<HTMLElement>('[data-component-name="Menu/MenuItem"].menu-item-type-operation')).map((item) => ({
          summary: item.innerText.replace(/\s*(GET|POST|PUT|DELETE|PATCH)$/, "").trim(),
          href: item.querySelector("a")?.getAttribute("href") ?? undefined,
        }));
      /** Checks `done` at each frame until it holds or `patience` ms have passed; what it last found. */
      const until = async <T,>(read: () => T, done: (value: T) => boolean) => {
        const start = performance.now();
        let value = read();
        while (!done(value) && performance.now() - start < patience) {
          await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
          value = read();
        }
        return value;
      };
      const found = [];
      for (const stop of stops) {
        const base = groupLinks.get(stop.tag);
        const address = `${base}/${stop.id}`;
        window.location.hash = address;
        const heading = await until(() => document.querySelector(`[data-section-id$="/${stop.id}"] :is(h1, h2)`)?.textContent?.trim(), (text) => text === stop.heading);
        const unlisted = (entries: { summary: string; href?: string }[]) =>
          stop.entries.filter((entry) => !entries.some((item) => item.summary === entry.summary && item.href === `${base}/${entry.id}`)).map((entry) => entry.summary);
        const missing = stop.entries.length === 0 ? [] : unlisted(await until(shown, (entries) => unlisted(entries).length === 0));
        found.push({ address, heading, missing });
      }
      return found;
    }, { stops, patience: 120_000 });
    // Every address showed its operation's heading, and each tag's entries were all in the sidebar.
    expect(walked.map(({ address, heading }) => ({ address, heading }))).toEqual(stops.map(({ id, heading }) => ({ address: expect.stringMatching(new RegExp(`^#/.+/${id}$`)), heading })));
    expect(walked.filter(({ missing }) => missing.length > 0)).toEqual([]);
    expect(new Set(stops.filter(({ entries }) => entries.length > 0).map(({ tag }) => tag))).toEqual(new Set(tags));
    expect(outside).toEqual([]);
    expect(problems).toEqual([]);
  }, 1_200_000);

  test("the page's <base> changes no address: its base URL is the page, and a sidebar link stays on it", async () => {
    const self = pathToFileURL(docsHtmlPath).href;
    const { baseURI, link } = await page.evaluate(() => ({
      baseURI: document.baseURI,
      link: document.querySelector<HTMLAnchorElement>('[data-component-name="Menu/MenuItem"].menu-item-type-operation a')?.href,
    }));
    expect(baseURI.split("#")[0]).toBe(self);
    expect(link?.startsWith(`${self}#/`), link).toBe(true);
  });

  test("search finds the management link", async () => {
    await page.getByText("Search", { exact: false }).first().click();
    const input = page.locator('input[placeholder="Search docs..."]');
    await input.fill("management link");
    const results = page.locator('[data-component-name="Search/SearchItem"]');
    await expect.poll(() => results.count()).toBeGreaterThan(0);
    expect((await results.allInnerTexts()).join("\n")).toContain("Read Billing Portal management link");
    // Closed again, for the tests below.
    await input.fill("");
    await page.keyboard.press("Escape");
    await expect.poll(() => input.isVisible()).toBe(false);
    expect(outside).toEqual([]);
  });

  test("the payment profile response shows its four variants by name", async () => {
    await show("readPaymentProfile");
    for (const variant of ["credit_card", "bank_account", "paypal_account", "apple_pay"]) {
      await expect.poll(() => page.locator("button", { hasText: new RegExp(`^${variant}$`) }).count(), { message: variant }).toBeGreaterThan(0);
    }
  });

  test("operations show their code samples: TypeScript first, curl a click away", async () => {
    await show("createPaymentProfile");
    const shown = (text: string) => async () => (await page.locator("body").innerText()).includes(text);
    await expect.poll(shown("billing.paymentProfiles.createPaymentProfile(")).toBe(true);
    await chooseSample("TypeScript", "curl");
    await expect.poll(shown("curl -X POST 'https://acme.chargify.com/payment_profiles.json'")).toBe(true);
    await chooseSample("curl", "TypeScript");
    await expect.poll(shown("billing.paymentProfiles.createPaymentProfile(")).toBe(true);
  });

  test("code samples are shown whole: wrapped to the panel, no text under the copy button", async () => {
    await show("createPaymentProfile");
    await expect.poll(() => page.locator("pre").count()).toBeGreaterThanOrEqual(2);
    /** What is hidden in each code block on screen: text past its right edge or under its buttons. */
    const hidden = () =>
      page.evaluate(() =>
        Array.from(document.querySelectorAll<HTMLElement>('pre[data-component-name="CodeBlock/CodeBlockContainer"]'))
          .filter((pre) => pre.offsetParent !== null)
          .flatMap((pre) => {
            const first = (pre.innerText.split("\n")[0] ?? "").slice(0, 40);
            const problems: string[] = [];
            if (pre.scrollWidth > pre.clientWidth + 1) problems.push(`"${first}" is ${pre.scrollWidth - pre.clientWidth}px wider than its panel`);
            const controls = pre.parentElement?.querySelector('[data-component-name="CodeBlock/CodeBlockControls"]')?.getBoundingClientRect();
            const walker = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT);
            const range = document.createRange();
            for (let node = walker.nextNode(); node && controls; node = walker.nextNode()) {
              if (!node.textContent?.trim()) continue;
              range.selectNodeContents(node);
              for (const rect of Array.from(range.getClientRects())) {
                const overlaps = rect.left < controls.right && rect.right > controls.left && rect.top < controls.bottom && rect.bottom > controls.top;
                if (overlaps) problems.push(`"${node.textContent.trim().slice(0, 30)}" in "${first}" lies under the copy button`);
              }
            }
            return [`${first}: checked`, ...problems];
          }),
      );
    const typescript = await hidden();
    expect(typescript.filter((line) => line.endsWith(": checked")).length).toBeGreaterThanOrEqual(2); // the sample and the response
    expect(typescript.filter((line) => !line.endsWith(": checked"))).toEqual([]);

    await chooseSample("TypeScript", "curl");
    await expect.poll(async () => (await page.locator("body").innerText()).includes("curl -X POST")).toBe(true);
    const curl = await hidden();
    expect(curl.some((line) => line.startsWith("curl -X POST"))).toBe(true);
    expect(curl.filter((line) => !line.endsWith(": checked"))).toEqual([]);
    await chooseSample("curl", "TypeScript");
  });

  test.each([
    ["createPaymentProfile", true],
    ["readPaymentProfile", false],
  ])("%s: the request sample, the schema tab shown first and the response example are the same kind of profile", async (operationId, hasRequest) => {
    // Redoc lists the neighbouring operations too: look only inside this one's section.
    const section = await show(operationId);
    const json = section.locator('[data-component-name="JsonViewer/JsonViewer"]').first();
    await json.waitFor();
    const story: Record<string, string | undefined> = {};
    // Redoc fills the sample in after the panel appears: wait for the field, however busy the machine.
    const exampleKind = async () => /"payment_type": "(\w+)"/.exec(await json.innerText())?.[1];
    await expect.poll(exampleKind, { timeout: 30_000 }).toBeDefined();
    story["response example"] = await exampleKind();
    // The response schema's variants are tabs named by payment_type; the one shown is selected.
    story["response schema tab"] = (
      await section.locator('[role="tab"][aria-selected="true"]', { hasText: /^(bank_account|credit_card|paypal_account|apple_pay)$/ }).first().innerText()
    ).trim();
    if (hasRequest) {
      const sample = await section.locator('pre[data-component-name="CodeBlock/CodeBlockContainer"]').first().innerText();
      // A card is sent without payment_type: its full_number says what it is.
      story["request sample"] = /payment_type: "(\w+)"/.exec(sample)?.[1] ?? (/full_number:/.test(sample) ? "credit_card" : undefined);
      // The request schema's variants are a dropdown of schema names: CreateBankAccountPaymentProfile.
      const tab = await section.locator('button[aria-haspopup="menu"]', { hasText: /^Create\w+PaymentProfile$/ }).first().innerText();
      story["request schema tab"] = tab.trim().replace(/^Create(\w+)PaymentProfile$/, "$1").replace(/(?<=.)([A-Z])/g, "_$1").toLowerCase();
    }
    const kinds = new Set(Object.values(story));
    expect(story["response example"]).toBeDefined();
    expect(kinds.size, JSON.stringify(story)).toBe(1);
  });
});

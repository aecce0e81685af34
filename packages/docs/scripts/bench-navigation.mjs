// npm run bench:navigation -w @billing-api/docs [-- --rounds 3]
// What going from operation to operation costs the browser on the reference page, with the page's
// `<base target="_self">` (src/link-base.ts) and without it, in one run: Debian's Chromium (never a
// downloaded one) opens each page once, then visits the address of every operation and webhook in
// turn, as the docs browser test does, for a few rounds, alternating the two pages. It prints the
// renderer's busy time per address (Chromium's TaskDuration, from its Performance domain): a
// measurement, not a test.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { chromium } from "playwright-core";
import { linkBase } from "../dist/link-base.js";

const { values } = parseArgs({ options: { rounds: { type: "string", default: "3" } } });
const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
if (!existsSync(executablePath)) {
  console.error(`bench:navigation: no browser at ${executablePath} (apt-get install chromium, or set CHROMIUM_PATH).`);
  process.exit(2);
}
const built = fileURLToPath(new URL("../dist/index.html", import.meta.url));
const html = readFileSync(built, "utf8");
if (!html.includes(linkBase)) {
  console.error("bench:navigation: dist/index.html has no <base>: run the docs task first (npx turbo run docs --filter=@billing-api/docs).");
  process.exit(2);
}
const work = mkdtempSync(join(tmpdir(), "bench-navigation-"));
const pages = { "with <base>": built, "without": join(work, "without-base.html") };
writeFileSync(pages.without, html.replace(`\n  ${linkBase}`, ""));

const definition = JSON.parse(readFileSync(fileURLToPath(new URL("../dist/openapi.json", import.meta.url)), "utf8"));
const documented = [...Object.values(definition.paths), ...Object.values(definition.webhooks ?? {})].flatMap((item) =>
  Object.values(item).filter((entry) => typeof entry === "object" && entry !== null && "operationId" in entry),
);

const browser = await chromium.launch({ executablePath, args: ["--no-sandbox", "--disable-gpu"] });
/** Seconds the page's renderer was busy while `walk` ran. */
async function busy(page, walk) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Performance.enable");
  const taskDuration = async () => (await cdp.send("Performance.getMetrics")).metrics.find((metric) => metric.name === "TaskDuration").value;
  const before = await taskDuration();
  await walk();
  return (await taskDuration()) - before;
}

const results = Object.fromEntries(Object.keys(pages).map((name) => [name, []]));
try {
  for (let round = 0; round < Number(values.rounds); round++) {
    for (const [name, file] of Object.entries(pages)) {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      page.setDefaultTimeout(150_000);
      await page.goto(pathToFileURL(file).href);
      await page.locator('[data-component-name="Menu/MenuItem"]').first().waitFor();
      const groups = Object.fromEntries(
        await page.evaluate(() =>
          Array.from(document.querySelectorAll('[data-component-name="Menu/MenuItem"].menu-item-type-group > a')).map((a) => [a.textContent.trim(), a.getAttribute("href")]),
        ),
      );
      const seconds = await busy(page, async () => {
        for (const operation of documented) {
          const id = operation.operationId.toLowerCase();
          await page.evaluate((hash) => void (window.location.hash = hash), `${groups[operation.tags[0]]}/${id}`);
          await page.waitForFunction((id) => document.querySelector(`[data-section-id$="/${id}"]`)?.querySelector("h1, h2")?.textContent, id, { polling: 100 });
        }
      });
      results[name].push((seconds * 1000) / documented.length);
      await page.close();
    }
  }
} finally {
  await browser.close();
  rmSync(work, { recursive: true, force: true });
}

const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
console.log(`${documented.length} addresses, ${values.rounds} rounds, renderer busy ms per address (median; each round):`);
for (const [name, list] of Object.entries(results)) console.log(`  ${name.padEnd(12)} ${median(list).toFixed(0).padStart(5)}  (${list.map((ms) => ms.toFixed(0)).join(", ")})`);
const ratios = results["with <base>"].map((ms, round) => ms / results.without[round]);
console.log(`with / without, median of the rounds: ${median(ratios).toFixed(2)}x (${ratios.map((ratio) => ratio.toFixed(2)).join(", ")})`);

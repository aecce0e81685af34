import { ConformanceCheck } from "@billing-api/conformance";
import { ApiHosts, checkHar, harEntries, Verifier } from "@billing-api/verify";
import { beforeAll, describe, expect, test } from "vitest";
import { entry, example, har } from "./har-fixtures.js";

// Nothing in a HAR can crash the verifier: valid entries broken at random (seeded, so a failure
// names an input that can be built again), each still counted once, as checked or skipped.
let check: ConformanceCheck;
beforeAll(async () => {
  check = await ConformanceCheck.load();
}, 60_000);

/** A small seeded PRNG (mulberry32). */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = random(20261202);
const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;

const site = "https://acme.chargify.com";
const valid = () => [
  entry({ url: `${site}/payment_profiles/10089892.json`, body: example("readPaymentProfile") }),
  entry({ url: `${site}/customers.json?page=2&per_page=20`, body: example("listCustomers") }),
  entry({ url: `${site}/subscriptions/222.json?include[]=coupons`, body: example("readSubscription") }),
  entry({ method: "POST", url: `${site}/portal/customers/150/enable.json?auto_invite=1`, body: example("enableBillingPortalForCustomer") }),
];
const hostile: unknown[] = [
  null, undefined, 0, -1, 1e308, "", "%", "%E2%82", "../..", "__proto__", "constructor", "\u0000\uffff\ud800", "x".repeat(100_000), [], [null], {}, { __proto__: { polluted: true } }, true,
  "https://acme.chargify.com/%zz.json", "https://acme.chargify.com/customers.json?__proto__=1&__proto__=2&constructor=x", "not base64!", "base64", "GET / HTTP/1.1",
];

/** Replaces one value somewhere in `node` (or adds a key) with a hostile one. */
function mutate(node: unknown): void {
  if (typeof node !== "object" || node === null) return;
  const keys = Object.keys(node);
  if (keys.length === 0 || rand() < 0.1) {
    (node as Record<string, unknown>)[pick(["__proto__", "constructor", "text", "encoding", "status", "url", "headers"])] = structuredClone(pick(hostile));
    return;
  }
  const key = pick(keys);
  const child = (node as Record<string, unknown>)[key];
  if (typeof child === "object" && child !== null && rand() < 0.7) return mutate(child);
  (node as Record<string, unknown>)[key] = structuredClone(pick(hostile));
}

describe("billing-verify har: hostile entries", () => {
  test("600 entries broken at random: none throws, each counted once", () => {
    const entries: unknown[] = [];
    for (let i = 0; i < 600; i++) {
      const broken = structuredClone(pick(valid())) as unknown;
      for (let n = 1 + Math.floor(rand() * 3); n > 0; n--) mutate(broken);
      entries.push(broken);
    }
    const verifier = new Verifier(check, ApiHosts.fromDocument(check.document));
    // Through JSON, as from a file: what a HAR can hold.
    checkHar(harEntries(JSON.stringify(har(...entries))), verifier);
    const summary = verifier.summary();
    const skipped = Object.values(summary.skipped).reduce((a, b) => a + b, 0);
    expect(summary.exchanges).toBe(600);
    expect(summary.checked + skipped).toBe(600);
    expect(summary.checked).toBeGreaterThan(100);
    for (const finding of verifier.findings) {
      expect(finding.kind).toBeTruthy();
      expect(finding.exchange.index).toBeGreaterThan(0);
      expect(typeof finding.expected).toBe("string");
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  }, 60_000);

  test("an exchange the check itself fails on is counted as not checked, and the run goes on", () => {
    const failing = Object.assign(Object.create(check) as ConformanceCheck, {
      check: (exchange: { target: string }) => {
        if (exchange.target.startsWith("/customers")) throw new TypeError("boom");
        return check.check(exchange as Parameters<ConformanceCheck["check"]>[0]);
      },
    });
    const verifier = new Verifier(failing, ApiHosts.fromDocument(check.document));
    checkHar(harEntries(JSON.stringify(har(...valid()))), verifier);
    expect(verifier.summary()).toMatchObject({ exchanges: 4, checked: 3, skipped: { "could not be checked (TypeError: boom)": 1 } });
  });
});

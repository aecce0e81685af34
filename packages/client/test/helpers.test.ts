import { createHash } from "node:crypto";
import {
  BillingApiError,
  createBillingClient,
  createManagementLinkCache,
  paginate,
  selfServiceUpdateUrl,
  threeDSecureRedirectUrl,
} from "@billing-api/client";
import { describe, expect, test } from "vitest";

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
const day = 24 * 60 * 60 * 1000;
const t0 = Date.parse("2026-11-21T10:00:00Z");
const linkAt = (created: number, url: string, fetchCount = 1) => ({
  url,
  fetch_count: fetchCount,
  created_at: new Date(created).toISOString(),
  new_link_available_at: new Date(created + 15 * day).toISOString(),
  expires_at: new Date(created + 65 * day).toISOString(),
  last_invite_sent_at: null,
});

describe("createManagementLinkCache", () => {
  function setup(answer: (call: number) => Response) {
    let clock = t0;
    let calls = 0;
    const billing = createBillingClient({ baseUrl: "https://acme.chargify.com", apiKey: "k", fetch: async () => answer(++calls) });
    const cache = createManagementLinkCache(billing, { now: () => clock });
    return { cache, calls: () => calls, advance: (ms: number) => (clock += ms) };
  }

  test("returns the cached link until new_link_available_at, then fetches a new one", async () => {
    const { cache, calls, advance } = setup((call) => json(200, linkAt(t0 + (call - 1) * 15 * day, `https://www.billingportal.com/manage/150/${call}`)));
    const first = await cache.get(150);
    expect(first).toMatchObject({ fromCache: false, data: { url: "https://www.billingportal.com/manage/150/1" } });
    advance(15 * day - 1000);
    expect(await cache.get(150)).toMatchObject({ fromCache: true, data: { url: "https://www.billingportal.com/manage/150/1" } });
    expect(calls()).toBe(1);
    advance(2000);
    expect(await cache.get(150)).toMatchObject({ fromCache: false, data: { url: "https://www.billingportal.com/manage/150/2" } });
    expect(calls()).toBe(2);
  });

  test("never fetches more than once per link period, however often it is asked", async () => {
    const { cache, calls } = setup(() => json(200, linkAt(t0, "https://www.billingportal.com/manage/150/1")));
    await Promise.all(Array.from({ length: 50 }, () => cache.get(150)));
    for (let i = 0; i < 50; i++) await cache.get(150);
    expect(calls()).toBe(1);
  });

  test("on a 429 it returns the cached link with the time a new one is available", async () => {
    const { cache, advance } = setup((call) =>
      call === 1
        ? json(200, linkAt(t0, "https://www.billingportal.com/manage/150/1", 15))
        : json(429, { errors: { error: "Too many requests for the management link.", new_link_available_at: "2026-12-08T10:00:00Z" } }),
    );
    await cache.get(150);
    advance(16 * day);
    const result = await cache.get(150);
    expect(result).toMatchObject({ fromCache: true, newLinkAvailableAt: "2026-12-08T10:00:00Z", data: { url: "https://www.billingportal.com/manage/150/1" } });
  });

  test("a 429 or 404 with nothing cached is returned as the API's error, not retried", async () => {
    const { cache, calls } = setup(() => json(404, { errors: ["Not Found"] }));
    const result = await cache.get(999);
    expect(result.error).toEqual({ status: 404, body: { errors: ["Not Found"] } });
    expect(calls()).toBe(1);
  });

  test("links are cached per customer, and clear() forgets them", async () => {
    const { cache, calls } = setup((call) => json(200, linkAt(t0, `https://www.billingportal.com/manage/${call}`)));
    await cache.get(150);
    await cache.get(151);
    await cache.get(150);
    expect(calls()).toBe(2);
    cache.clear(150);
    await cache.get(150);
    expect(calls()).toBe(3);
  });
});

describe("selfServiceUpdateUrl", () => {
  test("the guide's token: the first 10 hex digits of SHA-1(update_payment--{id}--{key})", async () => {
    const url = await selfServiceUpdateUrl({ subdomain: "acme", subscriptionId: 222, sharedKey: "7rk3w9d2qz" });
    expect(url).toBe("https://acme.chargify.com/update_payment/222/e48362eba4");
    const token = createHash("sha1").update("update_payment--224--another-key").digest("hex").slice(0, 10);
    expect(await selfServiceUpdateUrl({ subdomain: "acme", domain: "ebilling.maxio.com", subscriptionId: 224, sharedKey: "another-key" })).toBe(
      `https://acme.ebilling.maxio.com/update_payment/224/${token}`,
    );
  });

  test("refuses what cannot make a valid URL", async () => {
    await expect(selfServiceUpdateUrl({ subdomain: "ac me", subscriptionId: 222, sharedKey: "k" })).rejects.toThrow(TypeError);
    await expect(selfServiceUpdateUrl({ subdomain: "acme", subscriptionId: 0, sharedKey: "k" })).rejects.toThrow("subscriptionId");
    await expect(selfServiceUpdateUrl({ subdomain: "acme", subscriptionId: 222, sharedKey: "" })).rejects.toThrow("sharedKey");
  });
});

describe("threeDSecureRedirectUrl", () => {
  const actionLink = "https://acme.chargify.com/3d-secure/checkout/pay_gpgbjnwnqr4e3ewf3cnqsbsd5m?one_time_token_id=93";

  test("adds callback_url and redirect_url, keeping the link's own parameters", () => {
    const url = new URL(threeDSecureRedirectUrl(actionLink, { callbackUrl: "https://mountvernon.example.com/3ds/callback?session=s1", redirectUrl: "https://mountvernon.example.com/billing" }));
    expect(url.searchParams.get("one_time_token_id")).toBe("93");
    expect(url.searchParams.get("callback_url")).toBe("https://mountvernon.example.com/3ds/callback?session=s1");
    expect(url.searchParams.get("redirect_url")).toBe("https://mountvernon.example.com/billing");
    expect(url.pathname).toBe("/3d-secure/checkout/pay_gpgbjnwnqr4e3ewf3cnqsbsd5m");
  });

  test("without options it is the action link itself", () => {
    expect(threeDSecureRedirectUrl(actionLink)).toBe(actionLink);
  });

  test("refuses relative or non-http URLs", () => {
    expect(() => threeDSecureRedirectUrl("/3d-secure/x")).toThrow("actionLink must be an absolute URL");
    expect(() => threeDSecureRedirectUrl(actionLink, { redirectUrl: "javascript:alert(1)" })).toThrow("redirectUrl must be an http(s) URL");
  });
});

describe("paginate", () => {
  const customer = (id: number) => ({ customer: { id } });
  function pagedClient(pages: unknown[][], wrap?: (items: unknown[]) => unknown) {
    const requested: URL[] = [];
    const billing = createBillingClient({
      baseUrl: "https://acme.chargify.com",
      apiKey: "k",
      fetch: async (request) => {
        const url = new URL(request.url);
        requested.push(url);
        const items = pages[Number(url.searchParams.get("page")) - 1] ?? [];
        return json(200, wrap ? wrap(items) : items);
      },
    });
    return { billing, requested };
  }

  test("walks every page and stops at a short one", async () => {
    const { billing, requested } = pagedClient([[customer(1), customer(2)], [customer(3), customer(4)], [customer(5)]]);
    const ids: number[] = [];
    for await (const { customer } of paginate(billing.customers.listCustomers, { per_page: 2, q: "washington" })) ids.push(customer.id);
    expect(ids).toEqual([1, 2, 3, 4, 5]);
    expect(requested.map((url) => url.searchParams.get("page"))).toEqual(["1", "2", "3"]);
    expect(requested.every((url) => url.searchParams.get("q") === "washington" && url.searchParams.get("per_page") === "2")).toBe(true);
  });

  test("stops at an empty page", async () => {
    const { billing, requested } = pagedClient([[customer(1), customer(2)], []]);
    const ids: number[] = [];
    for await (const { customer } of paginate(billing.customers.listCustomers, { per_page: 2 })) ids.push(customer.id);
    expect(ids).toEqual([1, 2]);
    expect(requested).toHaveLength(2);
  });

  test("reads the collection out of a wrapped page ({ subscription_groups, meta })", async () => {
    const group = (uid: string) => ({ uid, scheme: 1, customer_id: 150, payment_profile_id: 10089892, subscription_ids: [222], primary_subscription_id: 222, next_assessment_at: "2026-12-02T09:25:13-05:00", state: "active", cancel_at_end_of_period: false });
    const { billing } = pagedClient([[group("grp_a"), group("grp_b")], [group("grp_c")]], (items) => ({ subscription_groups: items, meta: { current_page: 1, total_count: 3 } }));
    const uids: string[] = [];
    for await (const item of paginate(billing.subscriptionGroups.listSubscriptionGroups, { per_page: 2 })) uids.push(item.uid);
    expect(uids).toEqual(["grp_a", "grp_b", "grp_c"]);
  });

  test("a page that fails throws BillingApiError with its status and body", async () => {
    const billing = createBillingClient({ baseUrl: "https://acme.chargify.com", apiKey: "k", fetch: async () => json(404, { errors: ["Not Found"] }) });
    const run = async () => {
      for await (const _ of paginate(billing.customers.listCustomers, {})) void _;
    };
    await expect(run()).rejects.toThrow(BillingApiError);
    await expect(run()).rejects.toMatchObject({ status: 404, body: { errors: ["Not Found"] }, page: 1 });
  });
});

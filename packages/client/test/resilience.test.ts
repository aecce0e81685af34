import { BillingNetworkError, BillingTimeoutError, createBillingClient, errorOf, retryAfterMs, type BillingClientOptions } from "@billing-api/client";
import { createBillingCoreClient } from "@billing-api/client/core";
import { describe, expect, test } from "vitest";

const apiKey = "sk_live_7Hq2Xv9Lm4";
const basicToken = btoa(`${apiKey}:x`);
const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
const link = { url: "https://www.billingportal.com/manage/1/2/3", fetch_count: 1, created_at: "2026-11-21T10:00:00Z", new_link_available_at: "2026-12-06T10:00:00Z", expires_at: "2027-01-25T10:00:00Z", last_invite_sent_at: null };

/** A client whose fetch answers from a script, and whose waits are recorded instead of slept. */
function scripted(answers: (() => Response | Promise<Response>)[], options: Partial<BillingClientOptions> = {}) {
  const requests: Request[] = [];
  const waits: number[] = [];
  const billing = createBillingClient({
    baseUrl: "https://acme.chargify.com",
    apiKey,
    fetch: async (request) => {
      requests.push(request);
      const answer = answers[Math.min(requests.length - 1, answers.length - 1)]!;
      return answer();
    },
    sleep: async (ms) => void waits.push(ms),
    random: () => 0.5,
    ...options,
  } as BillingClientOptions);
  return { billing, requests, waits };
}
const readLink = (billing: ReturnType<typeof scripted>["billing"], options?: object) => billing.billingPortal.readBillingPortalLink({ customer_id: 150 }, options);

describe("retries", () => {
  test.each([429, 502, 503, 504])("a GET answered %i is retried, with backoff, until it succeeds", async (status) => {
    const { billing, requests, waits } = scripted([() => json(status, { errors: ["busy"] }), () => json(200, link)]);
    const { data } = await readLink(billing);
    expect(data?.url).toBe(link.url);
    expect(requests).toHaveLength(2);
    expect(waits).toEqual([125]); // full jitter: 0.5 x 250 ms
  });

  test("backoff doubles per attempt, capped, and gives up after the retries with the last answer", async () => {
    const { billing, requests, waits } = scripted([() => json(503, { errors: ["down"] })], { retry: { retries: 3, baseDelayMs: 100, maxDelayMs: 300 } });
    const { error } = await readLink(billing);
    expect(error?.status).toBe(503);
    expect(requests).toHaveLength(4);
    expect(waits).toEqual([50, 100, 150]);
  });

  test("PUT and DELETE are retried like GET", async () => {
    const { billing, requests } = scripted([() => json(503, {}), () => json(200, { subscription: {} })]);
    await billing.subscriptions.cancelDelayedCancellation({ subscription_id: 222 });
    await billing.subscriptionGroups.updateSubscriptionGroupMembers({ uid: "grp_b9fkz5jyd7tq", body: { subscription_group: { member_ids: [223] } } });
    expect(requests.map((request) => request.method)).toEqual(["DELETE", "DELETE", "PUT"]);
  });

  test("a POST is not retried: a create must not happen twice", async () => {
    const { billing, requests } = scripted([() => json(503, { errors: ["down"] }), () => json(201, {})]);
    const { error } = await billing.subscriptions.createSubscriptionCharge({ subscription_id: 222, body: { charge: { amount_in_cents: 100, memo: "x" } } });
    expect(error?.status).toBe(503);
    expect(requests).toHaveLength(1);
  });

  test("a POST is retried when the caller opts in, with its body each time", async () => {
    const { billing, requests } = scripted([() => json(503, {}), () => json(201, { charge: {} })]);
    const { response } = await billing.subscriptions.createSubscriptionCharge(
      { subscription_id: 222, body: { charge: { amount_in_cents: 100, memo: "x" } } },
      { retry: { post: true } },
    );
    expect(response.status).toBe(201);
    expect(await Promise.all(requests.map((request) => request.json()))).toEqual([{ charge: { amount_in_cents: 100, memo: "x" } }, { charge: { amount_in_cents: 100, memo: "x" } }]);
  });

  test("Retry-After in seconds is honoured", async () => {
    const { billing, waits } = scripted([() => json(429, {}, { "retry-after": "3" }), () => json(200, link)]);
    await readLink(billing);
    expect(waits).toEqual([3000]);
  });

  test("Retry-After as an HTTP date is honoured", () => {
    expect(retryAfterMs("Sat, 21 Nov 2026 10:00:05 GMT", Date.parse("2026-11-21T10:00:00Z"))).toBe(5000);
    expect(retryAfterMs("soon", 0)).toBeUndefined();
  });

  test("a Retry-After beyond the longest wait is not waited for: the 429 is returned", async () => {
    const { billing, requests } = scripted([() => json(429, {}, { "retry-after": "3600" }), () => json(200, link)]);
    const { error } = await readLink(billing);
    expect(error?.status).toBe(429);
    expect(requests).toHaveLength(1);
  });

  test("retry: false turns retrying off, per client and per call", async () => {
    const off = scripted([() => json(503, {}), () => json(200, link)], { retry: false });
    expect((await readLink(off.billing)).error?.status).toBe(503);
    const perCall = scripted([() => json(503, {}), () => json(200, link)]);
    expect((await readLink(perCall.billing, { retry: false })).error?.status).toBe(503);
    expect(off.requests.length + perCall.requests.length).toBe(2);
  });

  test("a 4xx other than 429 is not retried", async () => {
    const { billing, requests } = scripted([() => json(404, { errors: ["Not Found"] })]);
    await readLink(billing);
    expect(requests).toHaveLength(1);
  });

  test("the path-based methods get the same retries", async () => {
    const { billing, requests } = scripted([() => json(502, {}), () => json(200, link)]);
    const { data } = await billing.GET("/portal/customers/{customer_id}/management_link.json", { params: { path: { customer_id: 150 } } });
    expect(data?.url).toBe(link.url);
    expect(requests).toHaveLength(2);
  });
});

describe("network errors and timeouts", () => {
  test("a network error is retried, then thrown as BillingNetworkError", async () => {
    const { billing, requests } = scripted([
      () => Promise.reject(new TypeError("fetch failed")),
      () => Promise.reject(new TypeError("fetch failed")),
      () => Promise.reject(new TypeError("fetch failed")),
    ]);
    const thrown = await readLink(billing).catch((error: unknown) => error);
    expect(thrown).toBeInstanceOf(BillingNetworkError);
    expect((thrown as Error).message).toBe("GET https://acme.chargify.com/portal/customers/150/management_link.json failed: fetch failed (3 attempts)");
    expect(requests).toHaveLength(3);
  });

  test("an attempt that outlives timeoutMs is abandoned and thrown as BillingTimeoutError, even if fetch ignores its signal", async () => {
    const { billing } = scripted([], { timeoutMs: 20, retry: false, fetch: () => new Promise<Response>(() => undefined) });
    const thrown = await readLink(billing).catch((error: unknown) => error);
    expect(thrown).toBeInstanceOf(BillingTimeoutError);
    expect((thrown as Error).message).toContain("timed out after 20 ms");
  });

  test("a per-call timeoutMs overrides the client's", async () => {
    const { billing } = scripted([], {
      timeoutMs: 60_000,
      retry: false,
      fetch: (request: Request) => new Promise<Response>((_, reject) => request.signal.addEventListener("abort", () => reject(request.signal.reason))),
    });
    const thrown = await readLink(billing, { timeoutMs: 10 }).catch((error: unknown) => error);
    expect((thrown as Error).message).toContain("timed out after 10 ms");
  });

  test("the caller's own abort is passed through, not retried", async () => {
    const controller = new AbortController();
    let calls = 0;
    const { billing } = scripted([], {
      fetch: (request: Request) => {
        calls += 1;
        return new Promise<Response>((_, reject) => request.signal.addEventListener("abort", () => reject(request.signal.reason)));
      },
    });
    const pending = readLink(billing, { signal: controller.signal });
    controller.abort(new Error("user navigated away"));
    await expect(pending).rejects.toThrow("user navigated away");
    expect(calls).toBe(1);
  });

  test("the API key appears nowhere in a thrown error, its message or its properties", async () => {
    const { billing } = scripted([() => Promise.reject(new TypeError(`connect failed for Authorization: Basic ${basicToken} key ${apiKey}`))], { retry: false });
    const thrown = (await readLink(billing).catch((error: unknown) => error)) as Error;
    expect(thrown).toBeInstanceOf(BillingNetworkError);
    const everything = JSON.stringify({ ...thrown, message: thrown.message, stack: thrown.stack, cause: String(thrown.cause) });
    expect(everything).not.toContain(apiKey);
    expect(everything).not.toContain(basicToken);
    expect(thrown.message).toContain("[redacted]");
  });
});

describe("the server's stated wait", () => {
  // The injected clock: the moment of the management link's 16th fetch in the examples' world.
  const now = Date.parse("2026-11-21T10:00:00Z");
  const fifteenDaysLater = "2026-12-06T10:00:00Z";
  const tooManyLinks = () => json(429, { errors: { error: `Too many requests. You can request a new link after ${fifteenDaysLater}.`, new_link_available_at: fifteenDaysLater } });

  test("the management link's 429 with new_link_available_at beyond maxDelayMs is sent once, and its error says when", async () => {
    const { billing, requests, waits } = scripted([tooManyLinks, () => json(200, link)], { now: () => now });
    const { error } = await readLink(billing);
    expect(requests).toHaveLength(1);
    expect(waits).toEqual([]);
    expect(error?.status).toBe(429);
    expect(error?.retryAt).toEqual(new Date(fifteenDaysLater));
    if (error?.status === 429) expect(error.body.errors.new_link_available_at).toBe(fifteenDaysLater); // the body is still whole
  });

  test("a Retry-After in seconds beyond maxDelayMs: sent once, retryAt is now plus the wait", async () => {
    const { billing, requests, waits } = scripted([() => json(503, { errors: ["down"] }, { "retry-after": "3600" }), () => json(200, link)], { now: () => now });
    const { error } = await readLink(billing);
    expect(requests).toHaveLength(1);
    expect(waits).toEqual([]);
    expect(error?.retryAt).toEqual(new Date(now + 3_600_000));
  });

  test("a Retry-After as an HTTP date beyond maxDelayMs: sent once, retryAt is that date", async () => {
    const { billing, requests } = scripted([() => json(429, { errors: ["slow down"] }, { "retry-after": "Sat, 21 Nov 2026 11:00:00 GMT" })], { now: () => now });
    const { error } = await readLink(billing);
    expect(requests).toHaveLength(1);
    expect(error?.retryAt).toEqual(new Date("2026-11-21T11:00:00Z"));
  });

  test("the budget is the caller's: a larger maxDelayMs waits for the stated time and retries", async () => {
    const soon = new Date(now + 20_000).toISOString();
    const { billing, requests, waits } = scripted([() => json(429, { errors: { error: "Too many requests.", new_link_available_at: soon } }), () => json(200, link)], {
      now: () => now,
      retry: { maxDelayMs: 60_000 },
    });
    const { data } = await readLink(billing);
    expect(data?.url).toBe(link.url);
    expect(requests).toHaveLength(2);
    expect(waits).toEqual([20_000]);
  });

  test("a stated wait within the budget is waited for; when the retries run out the error still says when", async () => {
    const { billing, requests, waits } = scripted([() => json(503, { errors: ["down"] }, { "retry-after": "2" })], { now: () => now });
    const { error } = await readLink(billing);
    expect(requests).toHaveLength(3);
    expect(waits).toEqual([2000, 2000]);
    expect(error?.retryAt).toEqual(new Date(now + 2000));
  });

  test("an error whose server did not say has no retryAt", async () => {
    const { billing } = scripted([() => json(404, { errors: ["Not Found"] })], { now: () => now });
    const { error } = await readLink(billing);
    expect(error).toEqual({ status: 404, body: { errors: ["Not Found"] } });
    expect(error && "retryAt" in error).toBe(false);
  });

  test("the path-based methods of the whole client honour the body's time too; errorOf gives retryAt", async () => {
    const { billing, requests } = scripted([tooManyLinks, () => json(200, link)], { now: () => now });
    const result = await billing.GET("/portal/customers/{customer_id}/management_link.json", { params: { path: { customer_id: 150 } } });
    expect(requests).toHaveLength(1);
    expect(errorOf(result)?.retryAt).toEqual(new Date(fifteenDaysLater));
  });

  test("the core entry point honours Retry-After beyond the budget (it leaves body fields to the whole client, for size)", async () => {
    let sent = 0;
    const core = createBillingCoreClient({
      baseUrl: "https://acme.chargify.com",
      apiKey,
      fetch: async () => (sent++, json(429, { errors: ["slow down"] }, { "retry-after": "3600" })),
      sleep: async () => undefined,
    });
    const result = await core.GET("/portal/customers/{customer_id}/management_link.json", { params: { path: { customer_id: 150 } } });
    expect(sent).toBe(1);
    expect(errorOf(result)?.status).toBe(429);
  });
});

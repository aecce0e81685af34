import { createBillingClient, errorOf } from "@billing-api/client";
import { describe, expect, inject, test } from "vitest";
import { contract, prefer } from "../support/contract.js";
import { requestExamples as examplesOf, send } from "@billing-api/test-support/raw";

// Subscriptions: one contract test per documented status that is not routine (401 and the shared
// 404 are swept in spec/routine-statuses.test.ts), and the requests the mock must refuse.
const path = "/subscriptions/{subscription_id}.json";
const params = { path: { subscription_id: 222 } };

describe("createSubscription", () => {
  contract("createSubscription", 201, "the new subscription with its customer, product version and card", async (client) => {
    const result = await client.POST("/subscriptions.json", {
      body: { subscription: { product_handle: "estate-basic", customer_id: 150, payment_profile_id: 10088716, coupon_code: "FOUNDERS10" } },
    });
    const subscription = result.data?.subscription;
    expect(subscription).toMatchObject({ id: 222, state: "active", product_version_number: 2, coupon_code: "FOUNDERS10" });
    expect(subscription?.customer.id).toBe(150);
    expect(subscription?.credit_card?.id).toBe(10088716);
    return result;
  });

  contract("createSubscription", 422, "a refusal, or a card that needs 3-D Secure with its action_link", async (client) => {
    const body = { subscription: { product_id: 3101, customer_id: 150 } };
    const secure = errorOf(await client.POST("/subscriptions.json", { body, headers: prefer(422, "threeDSecureRequired") }));
    if (secure?.status !== 422) throw new Error("expected a 422");
    expect(secure.body.action_link).toMatch(/^https:\/\/acme\.chargify\.com\/3d-secure\/pi_/);
    expect(secure.body.gateway_payment_id).toMatch(/^pi_/);
    return client.POST("/subscriptions.json", { body, headers: prefer(422) });
  });
});

describe("listSubscriptions", () => {
  contract("listSubscriptions", 200, "a bare array, filtered", async (client) => {
    const result = await client.GET("/subscriptions.json", {
      params: { query: { state: "active", product: 3101, date_field: "current_period_ends_at", start_date: "2026-12-01", sort: "next_assessment", direction: "asc" } },
    });
    expect(result.data?.map(({ subscription }) => subscription.id)).toEqual([222, 223, 224]);
    return result;
  });

  test("takes the official filters: the list's own state groupings, a coupon id, a price point and metadata[...]", async () => {
    const sent: string[] = [];
    const fetchAndKeep: typeof fetch = (input, init) => {
      sent.push(input instanceof Request ? input.url : String(input));
      return fetch(input, init);
    };
    const client = createBillingClient({ baseUrl: inject("mockUrl"), apiKey: "test", fetch: fetchAndKeep });
    const { data, error } = await client.subscriptions.listSubscriptions({
      state: "pending_cancellation",
      coupon: 61,
      product: 3101,
      product_price_point_id: 8121,
      date_field: "trial_started_at",
      metadata: { Estate: "Mount Vernon" },
    });
    expect(error).toBeUndefined();
    expect(data?.length).toBeGreaterThan(0);
    expect(decodeURIComponent(sent[0]!)).toContain("metadata[Estate]=Mount Vernon");
    for (const state of ["expired_cards", "awaiting_signup_date", "prepaid_dunning"] as const) {
      expect((await client.subscriptions.listSubscriptions({ state })).error).toBeUndefined();
    }
    expect((await send("GET", "/subscriptions.json?state=not_a_state")).status).toBe(422);
  });
});

describe("readSubscription", () => {
  contract("readSubscription", 200, "with include[]=coupons and the self-service page token", async (client) => {
    const result = await client.GET(path, {
      params: { ...params, query: { "include[]": ["coupons", "self_service_page_token"] } },
      headers: prefer(200, "withIncludes"),
    });
    expect(result.data?.subscription.coupons?.[0]).toMatchObject({ code: "FOUNDERS10", percentage: "10" });
    expect(result.data?.subscription.self_service_page_token).toBe("e48362eba4");
    return result;
  });
});

describe("findSubscription", () => {
  contract("findSubscription", 200, "the subscription with your reference", async (client) => {
    const result = await client.GET("/subscriptions/lookup.json", { params: { query: { reference: "mv-estate" } } });
    expect(result.data?.subscription).toMatchObject({ id: 222, reference: "mv-estate" });
    return result;
  });
});

describe("updateSubscription", () => {
  contract("updateSubscription", 200, "the guide's billing date change", async (client) => {
    const result = await client.PUT(path, { params, body: { subscription: { next_billing_at: "2026-12-15T12:00:00-05:00" } } });
    expect(result.data?.subscription.next_assessment_at).toBe("2026-12-15T12:00:00-05:00");
    return result;
  });

  contract("updateSubscription", 422, "a billing date in the past", async (client) => {
    const result = await client.PUT(path, { params, body: { subscription: { next_billing_at: "2020-01-01T00:00:00Z" } }, headers: prefer(422) });
    expect(errorOf(result)?.body).toEqual({ errors: ["Next billing at must be in the future"] });
    return result;
  });
});

describe("cancelSubscription", () => {
  contract("cancelSubscription", 200, "canceled now, with the guide's message in a DELETE body", async (client) => {
    const result = await client.DELETE(path, { params, body: { subscription: { cancellation_message: "Canceling the subscription via the API" } } });
    expect(result.data?.subscription).toMatchObject({ state: "canceled", cancellation_method: "merchant_api" });
    return result;
  });

  contract("cancelSubscription", 422, "its singular {error} shape", async (client) => {
    const result = await client.DELETE(path, { params, headers: prefer(422) });
    const failure = errorOf(result);
    if (failure?.status !== 422) throw new Error("expected a 422");
    expect(failure.body).toEqual({ error: "The subscription is already canceled" });
    return result;
  });
});

describe("initiateDelayedCancellation", () => {
  contract("initiateDelayedCancellation", 200, "an unwrapped message", async (client) => {
    const result = await client.POST("/subscriptions/{subscription_id}/delayed_cancel.json", { params });
    expect(result.data?.message).toBe("This subscription will be canceled at the end of the current billing period.");
    return result;
  });

  contract("initiateDelayedCancellation", 422, "already canceled", async (client) => {
    return client.POST("/subscriptions/{subscription_id}/delayed_cancel.json", { params, headers: prefer(422) });
  });
});

describe("cancelDelayedCancellation", () => {
  contract("cancelDelayedCancellation", 200, "the undo, an unwrapped message", async (client) => {
    const result = await client.DELETE("/subscriptions/{subscription_id}/delayed_cancel.json", { params });
    expect(result.data?.message).toContain("no longer be canceled");
    return result;
  });
});

describe("listCustomerSubscriptions", () => {
  contract("listCustomerSubscriptions", 200, "every subscription of one customer", async (client) => {
    const result = await client.GET("/customers/{customer_id}/subscriptions.json", { params: { path: { customer_id: 150 } } });
    expect(result.data?.every(({ subscription }) => subscription.customer.id === 150)).toBe(true);
    return result;
  });
});


describe("subscription requests", () => {
  test.each(examplesOf("createSubscription"))("documented create %s is accepted", async (_name, body) => {
    expect((await send("POST", "/subscriptions.json", body)).status).toBe(201);
  });

  test.each([...examplesOf("updateSubscription"), ...examplesOf("cancelSubscription").map(([n, b]) => [`cancel ${n}`, b] as const)])(
    "documented body %s is accepted",
    async (name, body) => {
      expect((await send(name.startsWith("cancel ") ? "DELETE" : "PUT", "/subscriptions/222.json", body)).status).toBe(200);
    },
  );

  test("a cancellation without any body is accepted", async () => {
    expect((await send("DELETE", "/subscriptions/222.json")).status).toBe(200);
  });

  test("two customers are refused, naming the rule", async () => {
    const { status, body } = await send("POST", "/subscriptions.json", { subscription: { product_id: 3101, customer_id: 150, customer_reference: "mv-0042" } });
    expect(status).toBe(422);
    expect(body?.errors).toEqual([
      "subscription: give at most one of customer_id or customer_reference; got customer_id and customer_reference",
    ]);
  });

  test("cancel at the end of the period with a next billing date is refused, naming both (wire-format: since December 2022)", async () => {
    const subscription = { product_id: 3101, customer_id: 150, next_billing_at: "2026-12-15T12:00:00-05:00" };
    for (const flag of [true, 1, "true", "1"]) {
      const { status, body } = await send("POST", "/subscriptions.json", { subscription: { ...subscription, cancel_at_end_of_period: flag } });
      expect(status).toBe(422);
      expect(body?.errors).toEqual([`subscription: cancel_at_end_of_period ${JSON.stringify(flag)} does not go with next_billing_at`]);
    }
    for (const flag of [false, 0, "false", "0"]) {
      expect((await send("POST", "/subscriptions.json", { subscription: { ...subscription, cancel_at_end_of_period: flag } })).status).toBe(201);
    }
  });

  test("no product is refused, naming the ways to give one", async () => {
    const { status, body } = await send("POST", "/subscriptions.json", { subscription: { customer_id: 150 } });
    expect(status).toBe(422);
    expect(body?.errors).toEqual([
      "subscription: give at least one of product_handle, product_id, product_price_point_id, product_price_point_handle or offer_id; none was given",
    ]);
  });

  test("cancel_at_end_of_period that is not a flag is refused", async () => {
    const { status, body } = await send("DELETE", "/subscriptions/222.json", { subscription: { cancel_at_end_of_period: "maybe" } });
    expect(status).toBe(422);
    expect(JSON.stringify(body)).toContain("cancel_at_end_of_period");
  });

  test("an unknown include[] value is refused, naming the ones offered", async () => {
    const { status, body } = await send("GET", "/subscriptions/222.json?include[]=everything");
    expect(status).toBe(422);
    expect(body?.errors).toEqual(["Request query parameter include[].0 must be equal to one of the allowed values: coupons, self_service_page_token"]);
  });
});

import { errorOf } from "@billing-api/client";
import { describe, expect, test } from "vitest";
import { contract, prefer } from "../support/contract.js";
import { requestExamples, send } from "@billing-api/test-support/raw";

// The guide's money operations (charges, adjustments, refunds), coupons on a subscription,
// reactivation and product migration. Routine 401/404 are swept in spec/routine-statuses.test.ts.
const params = { path: { subscription_id: 222 } };

describe("createSubscriptionCharge", () => {
  contract("createSubscriptionCharge", 201, "the guide's $1 charge, captured at once", async (client) => {
    const result = await client.POST("/subscriptions/{subscription_id}/charges.json", {
      params,
      body: { charge: { amount_in_cents: 100, memo: "This is the description of the reason for the $1 charge." } },
    });
    expect(result.data?.charge).toMatchObject({ subscription_id: 222, kind: "one_time", amount_in_cents: 100, success: true });
    expect(result.data?.charge.payment_id).toBeTypeOf("number");
    return result;
  });

  contract("createSubscriptionCharge", 422, "the gateway's refusal in the usual list", async (client) => {
    const result = await client.POST("/subscriptions/{subscription_id}/charges.json", {
      params,
      body: { charge: { amount: "35.00", memo: "Carriage hire" } },
      headers: prefer(422, "declined"),
    });
    expect(errorOf(result)?.body).toEqual({ errors: ["Bogus Gateway: Forced failure"] });
    return result;
  });
});

describe("createSubscriptionAdjustment", () => {
  contract("createSubscriptionAdjustment", 200, "the balance raised by the guide's $4.00, wrapped once", async (client) => {
    const result = await client.POST("/subscriptions/{subscription_id}/adjustments.json", {
      params,
      body: { adjustment: { amount: "4.00", memo: "Billing error in October" } },
    });
    const adjustment = result.data?.adjustment;
    expect(adjustment).toMatchObject({ type: "Adjustment", amount_in_cents: 400 });
    expect(adjustment!.ending_balance_in_cents - adjustment!.starting_balance_in_cents).toBe(400);
    expect(adjustment).not.toHaveProperty("adjustment");
    return result;
  });

  contract("createSubscriptionAdjustment", 422, "an amount that is not a number", async (client) => {
    return client.POST("/subscriptions/{subscription_id}/adjustments.json", { params, body: { adjustment: { amount_in_cents: -400 } }, headers: prefer(422) });
  });
});

describe("refundSubscriptionPayment", () => {
  contract("refundSubscriptionPayment", 200, "a gateway refund, or an external one that is only recorded", async (client) => {
    const url = "/subscriptions/{subscription_id}/refunds.json" as const;
    const refund = { payment_id: 58110031, amount: "4.00", memo: "Your memo here." };
    const external = await client.POST(url, { params, body: { refund, external: 1 }, headers: prefer(200, "recordedExternal") });
    expect(external.data?.refund).toMatchObject({ kind: "manual", gateway_used: null, gateway_transaction_id: null });
    const gateway = await client.POST(url, { params, body: { refund } });
    expect(gateway.data?.refund).toMatchObject({ kind: null, gateway_used: "bogus", payment_id: 58110031 });
    return gateway;
  });

  contract("refundSubscriptionPayment", 422, "a refund the gateway would not take", async (client) => {
    return client.POST("/subscriptions/{subscription_id}/refunds.json", {
      params,
      body: { refund: { payment_id: 58110031, amount_in_cents: 400, memo: "Your memo here." } },
      headers: prefer(422, "gatewayFailed"),
    });
  });
});

describe("applyCouponsToSubscription", () => {
  contract("applyCouponsToSubscription", 200, "both codes on the subscription", async (client) => {
    const result = await client.POST("/subscriptions/{subscription_id}/add_coupon.json", { params, body: { codes: ["FOUNDERS10", "SPRING5"] } });
    expect(result.data?.subscription.coupon_codes).toEqual(["FOUNDERS10", "SPRING5"]);
    return result;
  });

  contract("applyCouponsToSubscription", 422, "messages keyed by parameter, without an errors wrapper", async (client) => {
    const result = await client.POST("/subscriptions/{subscription_id}/add_coupon.json", {
      params: { ...params, query: { code: "NOSUCHCODE" } },
      headers: prefer(422, "unknownCode"),
    });
    const failure = errorOf(result);
    if (failure?.status !== 422) throw new Error("expected a 422");
    expect(failure.body.coupon_code).toEqual(["Coupon code could not be found."]);
    expect(failure.body).not.toHaveProperty("errors");
    return result;
  });
});

describe("reactivateSubscription", () => {
  contract("reactivateSubscription", 200, "active again, from an unwrapped body", async (client) => {
    const result = await client.PUT("/subscriptions/{subscription_id}/reactivate.json", {
      params,
      body: { coupon_code: "FOUNDERS10", preserve_balance: true, resume: true },
    });
    expect(result.data?.subscription).toMatchObject({ state: "active", previous_state: "canceled", canceled_at: null });
    return result;
  });

  contract("reactivateSubscription", 422, "a subscription that is not canceled", async (client) => {
    const result = await client.PUT("/subscriptions/{subscription_id}/reactivate.json", { params, headers: prefer(422, "notCanceled") });
    expect(errorOf(result)?.body).toEqual({ errors: ['Cannot reactivate a subscription that is not marked "Canceled", "Unpaid", or "Trial Ended".'] });
    return result;
  });
});

describe("migrateSubscriptionProduct", () => {
  contract("migrateSubscriptionProduct", 200, "on the product's newest version", async (client) => {
    const result = await client.POST("/subscriptions/{subscription_id}/migrations.json", {
      params,
      body: { migration: { product_id: 3101, include_coupons: true, preserve_period: true } },
    });
    expect(result.data?.subscription.product_version_number).toBe(3);
    expect(result.data?.subscription.product.version_number).toBe(3);
    return result;
  });

  contract("migrateSubscriptionProduct", 422, "an unknown product", async (client) => {
    return client.POST("/subscriptions/{subscription_id}/migrations.json", {
      params,
      body: { migration: { product_handle: "estate-deluxe" } },
      headers: prefer(422, "unknownProduct"),
    });
  });
});

describe("the guide's money requests", () => {
  const cases = [
    ...requestExamples("createSubscriptionCharge").map(([name, body]) => ["charges", name, body, 201] as const),
    ...requestExamples("createSubscriptionAdjustment").map(([name, body]) => ["adjustments", name, body, 200] as const),
    ...requestExamples("refundSubscriptionPayment").map(([name, body]) => ["refunds", name, body, 200] as const),
    ...requestExamples("migrateSubscriptionProduct").map(([name, body]) => ["migrations", name, body, 200] as const),
    ...requestExamples("applyCouponsToSubscription").map(([name, body]) => ["add_coupon", name, body, 200] as const),
  ];
  test.each(cases)("documented %s body %s is accepted", async (route, _name, body, status) => {
    expect((await send("POST", `/subscriptions/222/${route}.json`, body)).status).toBe(status);
  });

  test.each(requestExamples("reactivateSubscription"))("documented reactivation %s is accepted", async (_name, body) => {
    expect((await send("PUT", "/subscriptions/222/reactivate.json", body)).status).toBe(200);
  });

  test("flags and amounts sent as strings are accepted, as the API takes them", async () => {
    const charge = { amount_in_cents: "2500", memo: "Garden party catering", accrue_on_failure: "0", taxable: "true", use_negative_balance: 1 };
    expect((await send("POST", "/subscriptions/222/charges.json", { charge })).status).toBe(201);
  });

  test("a charge without an amount is refused, naming both ways to give one", async () => {
    const { status, body } = await send("POST", "/subscriptions/222/charges.json", { charge: { memo: "Carriage hire" } });
    expect(status).toBe(422);
    expect(body.errors).toEqual(["charge: give at least one of amount_in_cents or amount; none was given"]);
  });

  test("a flag that is not one the API takes is refused, listing the ones it does", async () => {
    const { status, body } = await send("POST", "/subscriptions/222/charges.json", { charge: { amount: "1.00", memo: "x", delay_capture: "yes" } });
    expect(status).toBe(422);
    expect(body.errors).toEqual(['charge.delay_capture: must be one of true, false, 1, 0, "true", "false", "1", "0"; got "yes"']);
  });

  test("a bad external flag is refused, naming external", async () => {
    const { status, body } = await send("POST", "/subscriptions/222/refunds.json", { refund: { payment_id: 58110031, amount: "4.00", memo: "x" }, external: 2 });
    expect(status).toBe(422);
    expect(body.errors).toEqual(['external: must be one of true, false, 1, 0, "true", "false", "1", "0"; got 2']);
  });

  test("external inside the refund wrapper is refused: it sits beside it", async () => {
    const { status, body } = await send("POST", "/subscriptions/222/refunds.json", { refund: { amount: "4.00", memo: "x", external: 1 } });
    expect(status).toBe(422);
    expect(JSON.stringify(body.errors)).toContain("external");
  });

  test("a gateway refund needs the payment it refunds; an external one does not", async () => {
    const refund = { amount: "4.00", memo: "Refunded by cheque" };
    const gateway = await send("POST", "/subscriptions/222/refunds.json", { refund });
    expect(gateway.status).toBe(422);
    expect(gateway.body.errors).toEqual(["Request body property refund must have required property 'payment_id'"]);
    expect((await send("POST", "/subscriptions/222/refunds.json", { refund, external: "1" })).status).toBe(200);
  });

  test("an adjustment memo over 255 characters is refused", async () => {
    const { status, body } = await send("POST", "/subscriptions/222/adjustments.json", { adjustment: { amount: "4.00", memo: "x".repeat(256) } });
    expect(status).toBe(422);
    expect(JSON.stringify(body.errors)).toContain("adjustment.memo");
  });

  test("an empty codes list is refused in the add-coupon shape, without an errors wrapper", async () => {
    const { status, body } = await send("POST", "/subscriptions/222/add_coupon.json", { codes: [] });
    expect(status).toBe(422);
    expect(body).not.toHaveProperty("errors");
    expect(JSON.stringify(body)).toContain("codes");
  });
});

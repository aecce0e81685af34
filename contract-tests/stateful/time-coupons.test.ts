import { describe, expect, test } from "vitest";
import { webhookReceiver } from "@billing-api/test-support/webhook-receiver";
import { day, secondsUntil, signUp } from "../support/time.js";
import { expectAnswer } from "../support/stateful.js";

// Coupons at each charge, as the seeds document them: SPRING5 is $5 off the full price once
// (do_not_recur, full-price), FOUNDERS10 is 10% off at every renewal, of the price already
// discounted (recur_indefinitely, compound). estate-basic is $49 a month; estate-stables $37 a
// month after a free 14-day trial.
describe("coupons at each charge", () => {
  test("stacked: the signup takes both, each renewal only the recurring one; the payment's webhook says what was paid", async () => {
    const { billing, subscription, clock, read } = await signUp("coupons-stacked", "1", { coupon_codes: ["SPRING5", "FOUNDERS10"] });
    // 4900 - 500 (SPRING5 on the full price) = 4400, less 10% of it (FOUNDERS10, compound) = 3960.
    expect(subscription).toMatchObject({ total_revenue_in_cents: 3960, coupon_code: "SPRING5", coupon_codes: ["SPRING5", "FOUNDERS10"], coupon_use_count: 1, coupon_uses_allowed: 1 });
    const hooks = await webhookReceiver();
    await billing.webhooks.createEndpoint({ body: { endpoint: { url: hooks.url, webhook_subscriptions: ["payment_success"] } } });

    await clock.advance(await secondsUntil(clock, subscription.current_period_ends_at!, day));
    // SPRING5 is spent; FOUNDERS10 takes 490 off 4900.
    expect(await read()).toMatchObject({ total_revenue_in_cents: 3960 + 4410, coupon_use_count: 1, coupon_uses_allowed: 1 });
    // The seeds renew in the same month: the payment of this test's subscription.
    const ours = () => hooks.deliveries.map(({ body }) => Object.fromEntries(new URLSearchParams(body))).find((fields) => fields["payload[subscription][id]"] === String(subscription.id));
    await expect.poll(ours).toBeDefined();
    expect(ours()).toMatchObject({ event: "payment_success", "payload[transaction][amount_in_cents]": "4410" });
    await hooks.close();

    const included = await billing.subscriptions.readSubscription({ subscription_id: subscription.id, "include[]": ["coupons"] });
    await expectAnswer("readSubscription", 200, included);
    expect(included.data!.subscription.coupons!.map(({ code, use_count, uses_allowed }) => ({ code, use_count, uses_allowed }))).toEqual([
      { code: "SPRING5", use_count: 1, uses_allowed: 1 },
      { code: "FOUNDERS10", use_count: 2, uses_allowed: null },
    ]);
  });

  test("a one-time coupon added to a live subscription discounts its next renewal only", async () => {
    const { billing, subscription, clock, read } = await signUp("coupons-added", "1");
    const created = await billing.coupons.createCoupon({ product_family_id: 1702, body: { coupon: { name: "Twenty off once", code: "ONCE20", percentage: 20, recurring: false } } });
    await expectAnswer("createCoupon", 201, created);
    await expectAnswer("applyCouponsToSubscription", 200, await billing.subscriptions.applyCouponsToSubscription({ subscription_id: subscription.id, body: { codes: ["ONCE20"] } }));
    expect(await read()).toMatchObject({ total_revenue_in_cents: 4900, coupon_code: "ONCE20", coupon_use_count: 0, coupon_uses_allowed: 1 });

    await clock.advance(await secondsUntil(clock, subscription.current_period_ends_at!, day));
    const first = await read();
    expect(first).toMatchObject({ total_revenue_in_cents: 4900 + 3920, coupon_use_count: 1 });
    await clock.advance(await secondsUntil(clock, first.current_period_ends_at!, day));
    expect((await read()).total_revenue_in_cents).toBe(4900 + 3920 + 4900);
  });

  test("a free trial uses no coupon: a one-time coupon discounts the first paid period", async () => {
    const { subscription, clock, read } = await signUp("coupons-trial", "1", { coupon_code: "SPRING5" }, "estate-stables");
    expect(subscription).toMatchObject({ state: "trialing", total_revenue_in_cents: 0, coupon_use_count: 0, coupon_uses_allowed: 1 });
    await clock.advance(await secondsUntil(clock, subscription.trial_ended_at!, day));
    const paid = await read();
    expect(paid).toMatchObject({ state: "active", total_revenue_in_cents: 3700 - 500, coupon_use_count: 1 });
    await clock.advance(await secondsUntil(clock, paid.current_period_ends_at!, day));
    expect((await read()).total_revenue_in_cents).toBe(3200 + 3700);
  });

  test("a reactivation's charge is discounted too; a migration without its coupons is charged in full", async () => {
    const { billing, subscription, read } = await signUp("coupons-reactivate", "1", { coupon_code: "FOUNDERS10" });
    expect(subscription.total_revenue_in_cents).toBe(4410);
    await expectAnswer("cancelSubscription", 200, await billing.subscriptions.cancelSubscription({ subscription_id: subscription.id, body: {} }));
    await expectAnswer("reactivateSubscription", 200, await billing.subscriptions.reactivateSubscription({ subscription_id: subscription.id, body: {} }));
    expect(await read()).toMatchObject({ state: "active", total_revenue_in_cents: 4410 * 2, coupon_use_count: 2 });

    const migrated = await billing.subscriptions.migrateSubscriptionProduct({ subscription_id: subscription.id, body: { migration: { product_handle: "estate-gardens", include_coupons: false } } });
    await expectAnswer("migrateSubscriptionProduct", 200, migrated);
    expect(migrated.data!.subscription).toMatchObject({ coupon_code: null, coupon_codes: [], coupon_use_count: null, total_revenue_in_cents: 4410 * 2 + 2900 });
  });
});

import type { components } from "@billing-api/client";
import { describe, expect, test } from "vitest";
import { webhookReceiver } from "@billing-api/test-support/webhook-receiver";
import { expectAnswer, mockControl, namespace, sendStateful, statefulClient } from "../support/stateful.js";

// Subscriptions as the guide manages them, each rule with its documented status and body.
async function newSubscription(name: string, extra: Record<string, unknown> = {}) {
  const billing = statefulClient(name);
  const { data } = await billing.customers.createCustomer({ body: { customer: { first_name: "Ada", last_name: "Lovelace", email: "ada@example.com" } } });
  const customer_id = data!.customer.id;
  const card = await billing.paymentProfiles.createPaymentProfile({
    body: { payment_profile: { customer_id, full_number: "4111111111111111", expiration_month: 10, expiration_year: 2030 } },
  });
  const created = await billing.subscriptions.createSubscription({
    body: { subscription: { product_handle: "estate-basic", customer_id, payment_profile_id: card.data!.payment_profile.id, ...extra } },
  });
  await expectAnswer("createSubscription", 201, created);
  return { billing, customer_id, subscription: created.data!.subscription, profile: card.data!.payment_profile };
}

/** Martha signed up on the Test Gateway's card 2 (it takes no payment), in a new namespace with an endpoint for `events`. */
async function onDecliningCard(prefix: string, events: components["schemas"]["WebhookSubscription"][]) {
  const billing = statefulClient(namespace(prefix));
  const hooks = await webhookReceiver();
  await billing.webhooks.createEndpoint({ body: { endpoint: { url: hooks.url, webhook_subscriptions: events } } });
  const created = await billing.subscriptions.createSubscription({
    body: { subscription: { product_handle: "estate-basic", customer_id: 150, credit_card_attributes: { full_number: "2", expiration_month: 10, expiration_year: 2030 } } },
  });
  await expectAnswer("createSubscription", 201, created);
  return { billing, hooks, subscription: created.data!.subscription };
}

describe("sign-up", () => {
  test("a new subscription is active, on its product and card, for a full period, with its coupon", async () => {
    const { subscription, customer_id, profile } = await newSubscription(namespace("signup"), { coupon_code: "FOUNDERS10", reference: "ada-estate" });
    expect(subscription).toMatchObject({
      state: "active",
      customer: { id: customer_id },
      product: { handle: "estate-basic" },
      credit_card: { id: profile.id, masked_card_number: "XXXX-XXXX-XXXX-1111", card_type: "visa" },
      coupon_code: "FOUNDERS10",
      balance_in_cents: 0,
      reference: "ada-estate",
    });
    expect(subscription.id).toBeGreaterThan(224);
    const period = Date.parse(subscription.current_period_ends_at!) - Date.parse(subscription.current_period_started_at!);
    expect(period / 86_400_000).toBeGreaterThanOrEqual(28);
  });

  test("an unknown product is the documented 422", async () => {
    const billing = statefulClient(namespace("signup-422"));
    const refused = await billing.subscriptions.createSubscription({ body: { subscription: { product_handle: "estate-deluxe", customer_id: 150 } } });
    await expectAnswer("createSubscription", 422, refused);
    expect(refused.error!.body).toEqual({ errors: ["Product must be among the Products for this Site"] });
  });

  test("customer and card attributes create them with the subscription; lookup by reference finds it", async () => {
    const billing = statefulClient(namespace("signup-attributes"));
    const created = await billing.subscriptions.createSubscription({
      body: {
        subscription: {
          product_id: 3101,
          reference: "sub-new-1",
          customer_attributes: { first_name: "Grace", last_name: "Hopper", email: "grace@example.com", reference: "grace-1906" },
          credit_card_attributes: { full_number: "5555555555554444", expiration_month: "04", expiration_year: "2031" },
        },
      },
    });
    const subscription = created.data!.subscription;
    expect(subscription.credit_card).toMatchObject({ card_type: "master", masked_card_number: "XXXX-XXXX-XXXX-4444", expiration_year: 2031 });
    const customer = await billing.customers.readCustomerByReference({ reference: "grace-1906" });
    expect(customer.data!.customer.id).toBe(subscription.customer.id);
    const found = await billing.subscriptions.findSubscription({ reference: "sub-new-1" });
    expect(found.data!.subscription.id).toBe(subscription.id);
  });
});

describe("cancellation", () => {
  test("now: state canceled, with the message; a second cancel is the documented 422", async () => {
    const { billing, subscription } = await newSubscription(namespace("cancel"));
    const canceled = await billing.subscriptions.cancelSubscription({
      subscription_id: subscription.id,
      body: { subscription: { cancellation_message: "Moving to Philadelphia" } },
    });
    await expectAnswer("cancelSubscription", 200, canceled);
    expect(canceled.data!.subscription).toMatchObject({ state: "canceled", previous_state: "active", cancellation_message: "Moving to Philadelphia", cancellation_method: "merchant_api" });
    expect(canceled.data!.subscription.canceled_at).not.toBeNull();
    const again = await billing.subscriptions.cancelSubscription({ subscription_id: subscription.id, body: {} });
    await expectAnswer("cancelSubscription", 422, again);
    expect(again.error!.body).toEqual({ error: "The subscription is already canceled" });
    const listed = await billing.subscriptions.listSubscriptions({ state: "canceled" });
    expect(listed.data!.map(({ subscription: s }) => s.id)).toContain(subscription.id);
  });

  test("at the end of the period: still active, cancel_at_end_of_period set", async () => {
    const { billing, subscription } = await newSubscription(namespace("cancel-end"));
    const scheduled = await billing.subscriptions.cancelSubscription({ subscription_id: subscription.id, body: { subscription: { cancel_at_end_of_period: 1 } } });
    expect(scheduled.data!.subscription).toMatchObject({ state: "active", cancel_at_end_of_period: true, delayed_cancel_at: subscription.current_period_ends_at });
  });

  test("delayed cancellation, then its undo", async () => {
    const { billing, subscription } = await newSubscription(namespace("delayed"));
    const params = { subscription_id: subscription.id };
    const scheduled = await billing.subscriptions.initiateDelayedCancellation({ ...params, body: { subscription: { cancellation_message: "Closing for winter" } } });
    await expectAnswer("initiateDelayedCancellation", 200, scheduled);
    expect((await billing.subscriptions.readSubscription(params)).data!.subscription).toMatchObject({
      state: "active",
      cancel_at_end_of_period: true,
      delayed_cancel_at: subscription.current_period_ends_at,
      cancellation_message: "Closing for winter",
    });
    await expectAnswer("cancelDelayedCancellation", 200, await billing.subscriptions.cancelDelayedCancellation(params));
    expect((await billing.subscriptions.readSubscription(params)).data!.subscription).toMatchObject({ cancel_at_end_of_period: false, delayed_cancel_at: null });
  });

  test("a canceled subscription cannot be scheduled for cancellation", async () => {
    const { billing, subscription } = await newSubscription(namespace("delayed-canceled"));
    await billing.subscriptions.cancelSubscription({ subscription_id: subscription.id, body: {} });
    await expectAnswer("initiateDelayedCancellation", 422, await billing.subscriptions.initiateDelayedCancellation({ subscription_id: subscription.id, body: {} }));
  });
});

describe("reactivation", () => {
  test("an active subscription cannot be reactivated; a canceled one can, for a new period from the clock's now", async () => {
    const name = namespace("reactivate");
    const { billing, subscription } = await newSubscription(name);
    const params = { subscription_id: subscription.id };
    const refused = await billing.subscriptions.reactivateSubscription({ ...params, body: {} });
    await expectAnswer("reactivateSubscription", 422, refused);
    await billing.subscriptions.cancelSubscription({ ...params, body: {} });
    await mockControl(name).setNow("2031-01-10T12:00:00Z");
    const reactivated = await billing.subscriptions.reactivateSubscription({ ...params, body: {} });
    await expectAnswer("reactivateSubscription", 200, reactivated);
    expect(reactivated.data!.subscription).toMatchObject({ state: "active", previous_state: "canceled", canceled_at: null, cancellation_message: null });
    expect(reactivated.data!.subscription.current_period_started_at).toMatch(/^2031-01-10T12:00:0\dZ$/);
  });

  test("include_trial starts a new trial when the product has one (estate-stables, 14 days), and nothing is charged for a free trial", async () => {
    const name = namespace("reactivate-trial");
    const { billing, subscription } = await newSubscription(name, { product_handle: "estate-stables" });
    const params = { subscription_id: subscription.id };
    await billing.subscriptions.cancelSubscription({ ...params, body: {} });
    await mockControl(name).setNow("2031-01-10T12:00:00Z");
    const reactivated = await billing.subscriptions.reactivateSubscription({ ...params, body: { include_trial: true } });
    await expectAnswer("reactivateSubscription", 200, reactivated);
    const trial = reactivated.data!.subscription;
    expect(trial).toMatchObject({ state: "trialing", previous_state: "canceled", total_revenue_in_cents: subscription.total_revenue_in_cents });
    expect(trial.trial_started_at).toMatch(/^2031-01-10T12:00:0\dZ$/);
    expect(trial.trial_ended_at).toMatch(/^2031-01-24T12:00:0\dZ$/);
    expect(trial.next_assessment_at).toBe(trial.trial_ended_at);

    // Without it, a paid period at once.
    await billing.subscriptions.cancelSubscription({ ...params, body: {} });
    const paid = await billing.subscriptions.reactivateSubscription({ ...params, body: {} });
    expect(paid.data!.subscription).toMatchObject({ state: "active", trial_ended_at: trial.trial_ended_at });
  });

  test("the new period is charged: a card that takes no payment (2) is the documented 422 and payment_failure, a good card pays, a delayed calendar charge waits", async () => {
    const { billing, hooks, subscription } = await onDecliningCard("reactivate-declined", ["payment_failure", "subscription_state_change"]);
    const params = { subscription_id: subscription.id };
    const revenue = subscription.total_revenue_in_cents!;
    const price = subscription.product_price_in_cents!;
    await billing.subscriptions.cancelSubscription({ ...params, body: {} });

    const refused = await billing.subscriptions.reactivateSubscription({ ...params, body: {} });
    await expectAnswer("reactivateSubscription", 422, refused);
    expect(refused.error?.body).toEqual({ errors: ["Bogus Gateway: Forced failure"] });
    expect((await billing.subscriptions.readSubscription(params)).data!.subscription).toMatchObject({ state: "canceled", total_revenue_in_cents: revenue });
    const failure = Object.fromEntries(new URLSearchParams((await hooks.until(2))[1]!.body));
    expect(failure).toMatchObject({
      event: "payment_failure",
      "payload[subscription][id]": String(params.subscription_id),
      "payload[subscription][state]": "canceled",
      "payload[transaction][success]": "false",
      "payload[transaction][amount_in_cents]": String(price),
      "payload[transaction][memo]": "Martha Washington - Estate care, basic: Reactivation payment (declined: Bogus Gateway: Forced failure)",
    });

    // Charged only at the next billing date: nothing asked of the card now.
    const delayed = await billing.subscriptions.reactivateSubscription({ ...params, body: { calendar_billing: { reactivation_charge: "delayed" } } });
    await expectAnswer("reactivateSubscription", 200, delayed);
    expect(delayed.data!.subscription).toMatchObject({ state: "active", total_revenue_in_cents: revenue });

    await billing.subscriptions.cancelSubscription({ ...params, body: {} });
    await billing.subscriptions.updateSubscription({ ...params, body: { subscription: { credit_card_attributes: { full_number: "1", expiration_month: 10, expiration_year: 2030 } } } });
    const paid = await billing.subscriptions.reactivateSubscription({ ...params, body: {} });
    await expectAnswer("reactivateSubscription", 200, paid);
    expect(paid.data!.subscription).toMatchObject({ state: "active", total_revenue_in_cents: revenue + price });
    // Canceled, refused (its payment only), delayed, canceled, paid.
    const events = (await hooks.until(5)).map(({ body }) => new URLSearchParams(body).get("event"));
    expect(events).toEqual(["subscription_state_change", "payment_failure", "subscription_state_change", "subscription_state_change", "subscription_state_change"]);
    await hooks.close();
  });
});

describe("money", () => {
  test("an adjustment moves the balance; a delayed-capture charge adds to it; a paid charge does not", async () => {
    const { billing, subscription } = await newSubscription(namespace("money"));
    const params = { subscription_id: subscription.id };
    const adjusted = await billing.subscriptions.createSubscriptionAdjustment({ ...params, body: { adjustment: { amount: "4.00", memo: "Billing error" } } });
    await expectAnswer("createSubscriptionAdjustment", 200, adjusted);
    expect(adjusted.data!.adjustment).toMatchObject({ amount_in_cents: 400, starting_balance_in_cents: 0, ending_balance_in_cents: 400, subscription_id: subscription.id });
    const credited = await billing.subscriptions.createSubscriptionAdjustment({ ...params, body: { adjustment: { amount_in_cents: "-150", memo: "Goodwill" } } });
    expect(credited.data!.adjustment.ending_balance_in_cents).toBe(250);

    const paid = await billing.subscriptions.createSubscriptionCharge({ ...params, body: { charge: { amount_in_cents: 100, memo: "Paid now" } } });
    await expectAnswer("createSubscriptionCharge", 201, paid);
    expect(paid.data!.charge.payment_id).toEqual(expect.any(Number));
    const accrued = await billing.subscriptions.createSubscriptionCharge({ ...params, body: { charge: { amount: "35.00", memo: "At renewal", delay_capture: "1", period_range_start: "2026-11-14", period_range_end: "2026-12-13" } } });
    expect(accrued.data!.charge).toMatchObject({ starting_balance_in_cents: 250, ending_balance_in_cents: 3750, payment_id: null, period_range_start: "2026-11-14", period_range_end: "2026-12-13" });
    expect(paid.data!.charge).toMatchObject({ period_range_start: null, period_range_end: null });
    expect((await billing.subscriptions.readSubscription(params)).data!.subscription.balance_in_cents).toBe(3750);

    const target = await billing.subscriptions.createSubscriptionAdjustment({ ...params, body: { adjustment: { amount: "10.00", adjustment_method: "target", memo: "Agreed" } } });
    expect(target.data!.adjustment).toMatchObject({ amount_in_cents: 1000 - 3750, ending_balance_in_cents: 1000 });
  });

  test("a charge the gateway declines (card 2) is the documented 422: nothing on the balance, unless accrue_on_failure; payment_failure is sent", async () => {
    const { billing, hooks, subscription } = await onDecliningCard("declined-charge", ["payment_failure", "payment_success"]);
    const params = { subscription_id: subscription.id };
    const refused = await billing.subscriptions.createSubscriptionCharge({ ...params, body: { charge: { amount: "10.00", memo: "Hay delivery" } } });
    await expectAnswer("createSubscriptionCharge", 422, refused);
    expect(refused.error?.body).toEqual({ errors: ["Bogus Gateway: Forced failure"] });
    expect((await billing.subscriptions.readSubscription(params)).data!.subscription.balance_in_cents).toBe(0);
    const accrued = await billing.subscriptions.createSubscriptionCharge({ ...params, body: { charge: { amount: "10.00", memo: "Hay delivery", accrue_on_failure: true } } });
    await expectAnswer("createSubscriptionCharge", 422, accrued);
    expect((await billing.subscriptions.readSubscription(params)).data!.subscription.balance_in_cents).toBe(1000);
    // A delayed capture, or a charge to invoice, asks the gateway nothing now.
    await expectAnswer("createSubscriptionCharge", 201, await billing.subscriptions.createSubscriptionCharge({ ...params, body: { charge: { amount: "5.00", memo: "At renewal", delay_capture: true } } }));
    await expectAnswer("createSubscriptionCharge", 201, await billing.subscriptions.createSubscriptionCharge({ ...params, body: { charge: { amount: "5.00", memo: "Invoiced", payment_collection_method: "invoice" } } }));

    const failures = (await hooks.until(2)).map(({ body }) => Object.fromEntries(new URLSearchParams(body)));
    expect(failures.map((fields) => fields.event)).toEqual(["payment_failure", "payment_failure"]);
    expect(failures.map((fields) => [fields["payload[transaction][success]"], fields["payload[transaction][amount_in_cents]"], fields["payload[transaction][ending_balance_in_cents]"]])).toEqual([
      ["false", "1000", "0"],
      ["false", "1000", "1000"],
    ]);
    await hooks.close();
  });

  test("the gateway refuses what card 3 would do: a new card 3 on the subscription is the documented 422 cardRefused, and a refund to it is gatewayFailed, sent as refund_failure", async () => {
    const name = namespace("card-3");
    const { billing, subscription, profile } = await newSubscription(name);
    const hooks = await webhookReceiver();
    await billing.webhooks.createEndpoint({ body: { endpoint: { url: hooks.url, webhook_subscriptions: ["subscription_card_update", "refund_success", "refund_failure"] } } });
    const params = { subscription_id: subscription.id };
    const paid = await billing.subscriptions.createSubscriptionCharge({ ...params, body: { charge: { amount_in_cents: 500, memo: "Paid" } } });
    const paymentId = paid.data!.charge.payment_id!;

    const card = await billing.subscriptions.updateSubscription({ ...params, body: { subscription: { credit_card_attributes: { full_number: "3", expiration_month: 10, expiration_year: 2030 } } } });
    await expectAnswer("updateSubscription", 422, card);
    expect(card.error?.body).toEqual({ errors: ["Bogus Gateway: Forced failure"] });
    expect((await billing.subscriptions.readSubscription(params)).data!.subscription.credit_card).toMatchObject({ id: profile.id, masked_card_number: "XXXX-XXXX-XXXX-1111" });

    // The card on file becomes a 3 at the vault (no gateway check there): refunds to it fail, recorded ones do not.
    await billing.paymentProfiles.updatePaymentProfile({ payment_profile_id: profile.id!, body: { payment_profile: { full_number: "3" } } });
    const revenue = (await billing.subscriptions.readSubscription(params)).data!.subscription.total_revenue_in_cents;
    const refused = await billing.subscriptions.refundSubscriptionPayment({ ...params, body: { refund: { payment_id: String(paymentId), amount: "2.00", memo: "Hay not delivered" } } });
    await expectAnswer("refundSubscriptionPayment", 422, refused);
    expect(refused.error?.body).toEqual({ errors: ["Bogus Gateway: Forced failure [Hay not delivered]"] });
    expect((await billing.subscriptions.readSubscription(params)).data!.subscription.total_revenue_in_cents).toBe(revenue);
    await expectAnswer("refundSubscriptionPayment", 200, await billing.subscriptions.refundSubscriptionPayment({ ...params, body: { refund: { amount: "2.00", memo: "By cheque" }, external: true } }));

    const sent = (await hooks.until(2)).map(({ body }) => Object.fromEntries(new URLSearchParams(body)));
    expect(sent.map((fields) => fields.event)).toEqual(["refund_failure", "refund_success"]);
    expect(sent[0]).toMatchObject({ "payload[payment_id]": String(paymentId), "payload[refund_id]": "", "payload[refund_amount_in_cents]": "200", "payload[memo]": "Hay not delivered" });
    // The judge found nothing wrong with either payload.
    const log = ((await sendStateful(name, "GET", "/__mock/webhooks")).body as { webhooks: { event: string; problems?: string[] }[] }).webhooks;
    expect(log.map(({ event, problems }) => [event, problems ?? []])).toEqual([["refund_failure", []], ["refund_success", []]]);
    await hooks.close();
  });

  test("refunds through the gateway or recorded as external, and a canceled subscription takes no charge", async () => {
    const { billing, subscription } = await newSubscription(namespace("refund"));
    const params = { subscription_id: subscription.id };
    const paid = await billing.subscriptions.createSubscriptionCharge({ ...params, body: { charge: { amount_in_cents: 500, memo: "Paid" } } });
    const paymentId = paid.data!.charge.payment_id!;
    const gateway = await billing.subscriptions.refundSubscriptionPayment({ ...params, body: { refund: { payment_id: String(paymentId), amount: "1.00", memo: "Partly back" } } });
    await expectAnswer("refundSubscriptionPayment", 200, gateway);
    expect(gateway.data!.refund).toMatchObject({ payment_id: paymentId, amount_in_cents: 100, gateway_used: "bogus", kind: null });
    const external = await billing.subscriptions.refundSubscriptionPayment({ ...params, body: { refund: { amount_in_cents: 200, memo: "By cheque" }, external: true } });
    expect(external.data!.refund).toMatchObject({ kind: "manual", gateway_used: null, gateway_transaction_id: null });

    await billing.subscriptions.cancelSubscription({ ...params, body: {} });
    const refused = await billing.subscriptions.createSubscriptionCharge({ ...params, body: { charge: { amount_in_cents: 100, memo: "Too late" } } });
    await expectAnswer("createSubscriptionCharge", 422, refused);
    expect(refused.error!.body).toEqual({ errors: ["This subscription is not eligible to accept charges."] });
  });

  test("a refund through the gateway returns at most what is left of its payment, or of all the subscription was paid; a recorded one is not bounded", async () => {
    const { billing, subscription } = await newSubscription(namespace("over-refund"));
    const params = { subscription_id: subscription.id };
    const revenue = async () => (await billing.subscriptions.readSubscription(params)).data!.subscription.total_revenue_in_cents!;
    const refund = (refund: { payment_id?: string; amount_in_cents: number }, external?: boolean) =>
      billing.subscriptions.refundSubscriptionPayment({ ...params, body: { refund: { ...refund, memo: "Back" }, ...(external ? { external } : {}) } });
    const paymentId = String((await billing.subscriptions.createSubscriptionCharge({ ...params, body: { charge: { amount_in_cents: 500, memo: "Paid" } } })).data!.charge.payment_id);

    await expectAnswer("refundSubscriptionPayment", 200, await refund({ payment_id: paymentId, amount_in_cents: 300 }));
    const paid = await revenue();
    const over = await refund({ payment_id: paymentId, amount_in_cents: 300 });
    await expectAnswer("refundSubscriptionPayment", 422, over);
    expect(over.error!.body).toEqual({ errors: ["Amount: must not exceed the remaining refundable balance of the payment (2.00)."] });
    expect(await revenue()).toBe(paid);
    await expectAnswer("refundSubscriptionPayment", 200, await refund({ payment_id: paymentId, amount_in_cents: 200 }));
    expect((await refund({ payment_id: paymentId, amount_in_cents: 1 })).error!.body).toEqual({ errors: ["Amount: must not exceed the remaining refundable balance of the payment (0.00)."] });

    // A payment the namespace does not hold (the signup's): what is left of the revenue bounds it.
    const left = await revenue();
    expect(left).toBe(4900);
    const beyond = await refund({ payment_id: "58110031", amount_in_cents: left + 1 });
    await expectAnswer("refundSubscriptionPayment", 422, beyond);
    expect(beyond.error!.body).toEqual({ errors: ["Amount: must not exceed the remaining refundable balance of the payment (49.00)."] });
    await expectAnswer("refundSubscriptionPayment", 200, await refund({ payment_id: "58110031", amount_in_cents: left }));
    expect(await revenue()).toBe(0);
    // Money returned outside the API is only recorded.
    await expectAnswer("refundSubscriptionPayment", 200, await refund({ amount_in_cents: 1000 }, true));
  });
});

describe("migrations", () => {
  test("by default the period starts again now and the new product's full price is charged; preserve_period keeps the period and charges nothing now; include_coupons: false drops the coupons", async () => {
    const name = namespace("migrate");
    const { billing, subscription } = await newSubscription(name, { coupon_code: "FOUNDERS10" });
    const params = { subscription_id: subscription.id };
    // Ten days into the period, before its renewal.
    await mockControl(name).advance(10 * 86_400);
    const kept = await billing.subscriptions.migrateSubscriptionProduct({ ...params, body: { migration: { product_handle: "estate-gardens", preserve_period: true } } });
    await expectAnswer("migrateSubscriptionProduct", 200, kept);
    expect(kept.data!.subscription).toMatchObject({
      product: { handle: "estate-gardens" },
      current_period_started_at: subscription.current_period_started_at,
      total_revenue_in_cents: subscription.total_revenue_in_cents,
      coupon_code: "FOUNDERS10",
    });

    const moved = await billing.subscriptions.migrateSubscriptionProduct({ ...params, body: { migration: { product_handle: "estate-basic", include_coupons: false } } });
    await expectAnswer("migrateSubscriptionProduct", 200, moved);
    expect(moved.data!.subscription).toMatchObject({ product: { handle: "estate-basic" }, total_revenue_in_cents: subscription.total_revenue_in_cents! + 4900, coupon_code: null, coupon_codes: [] });
    const [started, next] = [Date.parse(moved.data!.subscription.current_period_started_at!), Date.parse(moved.data!.subscription.next_assessment_at!)];
    expect((started - Date.parse(subscription.current_period_started_at!)) / 86_400_000).toBeCloseTo(10, 1);
    expect((next - started) / 86_400_000).toBeGreaterThanOrEqual(28);
  });

  test("a card that takes no payment (2) refuses a migration that charges: the subscription stays on its product, upgrade_downgrade_failure names the one it was to move to", async () => {
    const { billing, hooks, subscription } = await onDecliningCard("migrate-declined", ["upgrade_downgrade_failure", "upgrade_downgrade_success", "payment_failure"]);
    const params = { subscription_id: subscription.id };
    const refused = await billing.subscriptions.migrateSubscriptionProduct({ ...params, body: { migration: { product_handle: "estate-gardens" } } });
    await expectAnswer("migrateSubscriptionProduct", 422, refused);
    expect(refused.error?.body).toEqual({ errors: ["Bogus Gateway: Forced failure"] });
    expect((await billing.subscriptions.readSubscription(params)).data!.subscription).toMatchObject({ product: { handle: "estate-basic" }, current_period_started_at: subscription.current_period_started_at });
    // Keeping the period charges nothing now: the move is made.
    await expectAnswer("migrateSubscriptionProduct", 200, await billing.subscriptions.migrateSubscriptionProduct({ ...params, body: { migration: { product_handle: "estate-gardens", preserve_period: true } } }));

    const sent = (await hooks.until(3)).map(({ body }) => Object.fromEntries(new URLSearchParams(body)));
    expect(sent.map((fields) => fields.event)).toEqual(["upgrade_downgrade_failure", "payment_failure", "upgrade_downgrade_success"]);
    expect(sent[0]).toMatchObject({ "payload[subscription][product][handle]": "estate-basic", "payload[product][handle]": "estate-gardens" });
    expect(sent[1]).toMatchObject({ "payload[transaction][success]": "false", "payload[transaction][amount_in_cents]": "2900" });
    await hooks.close();
  });
});

describe("coupons, products and dates", () => {
  test("applied coupons show in include[]=coupons; an unknown code is refused; a coupon that does not stack is refused", async () => {
    const { billing, subscription } = await newSubscription(namespace("coupons"));
    const params = { subscription_id: subscription.id };
    const applied = await billing.subscriptions.applyCouponsToSubscription({ ...params, body: { codes: ["FOUNDERS10", "SPRING5"] } });
    await expectAnswer("applyCouponsToSubscription", 200, applied);
    expect(applied.data!.subscription.coupon_codes).toEqual(["FOUNDERS10", "SPRING5"]);
    const read = await billing.subscriptions.readSubscription({ ...params, "include[]": ["coupons"] });
    await expectAnswer("readSubscription", 200, read);
    expect(read.data!.subscription.coupons!.map((c) => c.code)).toEqual(["FOUNDERS10", "SPRING5"]);
    expect((await billing.subscriptions.readSubscription(params)).data!.subscription.coupons).toBeUndefined();

    const unknown = await billing.subscriptions.applyCouponsToSubscription({ ...params, body: { codes: ["NOPE"] } });
    await expectAnswer("applyCouponsToSubscription", 422, unknown);

    const loner = await billing.coupons.createCoupon({ product_family_id: 1702, body: { coupon: { name: "Alone", code: "ALONE", percentage: 5, stackable: false } } });
    expect(loner.response.status).toBe(201);
    const refused = await billing.subscriptions.applyCouponsToSubscription({ ...params, body: { codes: ["ALONE"] } });
    expect(refused.response.status).toBe(422);
    expect(refused.error!.body).toEqual({ codes: [expect.stringContaining("ALONE cannot be stacked")] });
  });

  test("a migration changes the product; an unknown one is refused", async () => {
    const { billing, subscription } = await newSubscription(namespace("migrate"));
    const params = { subscription_id: subscription.id };
    const migrated = await billing.subscriptions.migrateSubscriptionProduct({ ...params, body: { migration: { product_handle: "estate-gardens" } } });
    await expectAnswer("migrateSubscriptionProduct", 200, migrated);
    expect(migrated.data!.subscription.product.handle).toBe("estate-gardens");
    expect(migrated.data!.subscription.product_price_in_cents).toBe(migrated.data!.subscription.product.price_in_cents);
    await expectAnswer("migrateSubscriptionProduct", 422, await billing.subscriptions.migrateSubscriptionProduct({ ...params, body: { migration: { product_id: 9999 } } }));
  });

  test("a new billing date in the future, a delayed product change, a new card; a past date is refused", async () => {
    const { billing, subscription } = await newSubscription(namespace("update"));
    const params = { subscription_id: subscription.id };
    const moved = await billing.subscriptions.updateSubscription({ ...params, body: { subscription: { next_billing_at: "2040-12-15T12:00:00-05:00" } } });
    await expectAnswer("updateSubscription", 200, moved);
    expect(moved.data!.subscription.next_assessment_at).toBe("2040-12-15T12:00:00-05:00");
    const past = await billing.subscriptions.updateSubscription({ ...params, body: { subscription: { next_billing_at: "2020-01-01T00:00:00Z" } } });
    await expectAnswer("updateSubscription", 422, past);
    const later = await billing.subscriptions.updateSubscription({ ...params, body: { subscription: { product_handle: "estate-gardens", product_change_delayed: true } } });
    expect(later.data!.subscription).toMatchObject({ product: { handle: "estate-basic" }, next_product_handle: "estate-gardens" });
    const card = await billing.subscriptions.updateSubscription({ ...params, body: { subscription: { credit_card_attributes: { full_number: "2", expiration_month: "10", expiration_year: "2030" } } } });
    expect(card.data!.subscription.credit_card).toMatchObject({ masked_card_number: "XXXX-XXXX-XXXX-2", expiration_year: 2030 });
    expect(card.data!.subscription.credit_card!.id).not.toBe(subscription.credit_card!.id);
  });
});

import { describe, expect, test } from "vitest";
import { webhookReceiver } from "@billing-api/test-support/webhook-receiver";
import { control, day, secondsUntil, signUp } from "../support/time.js";
import { statefulClient, namespace, expectAnswer } from "../support/stateful.js";

// The renewal rule: at next_assessment_at a new period, charged through the Test Gateway.
describe("renewal", () => {
  test("past the period's end, card 1 has renewed and card 2 is past_due (the issue's team test)", async () => {
    const good = await signUp("renew-good", "1");
    const bad = await signUp("renew-bad", "2");
    expect(good.subscription).toMatchObject({ state: "active", total_revenue_in_cents: 4900, balance_in_cents: 0 });
    expect(bad.subscription.state).toBe("active");

    const periodEnds = good.subscription.current_period_ends_at!;
    const summary = await good.clock.advance(await secondsUntil(good.clock, periodEnds, day));
    // The seeds (222, 223) renew in the same month; this test's subscription renews once.
    expect(summary.changes.filter((change) => change.id === String(good.subscription.id))).toEqual([
      { at: periodEnds, rule: "renewal", kind: "subscription", id: String(good.subscription.id), from: "active", to: "active", events: ["renewal_success", "payment_success"] },
    ]);
    const renewed = await good.read();
    expect(renewed).toMatchObject({ state: "active", current_period_started_at: periodEnds, total_revenue_in_cents: 9800, balance_in_cents: 0 });
    expect(Date.parse(renewed.current_period_ends_at!)).toBeGreaterThan(Date.parse(periodEnds) + 27 * day * 1000);
    expect(renewed.next_assessment_at).toBe(renewed.current_period_ends_at);

    const failed = await bad.clock.advance(await secondsUntil(bad.clock, bad.subscription.current_period_ends_at!, day));
    expect(failed.changes.filter((change) => change.id === String(bad.subscription.id))).toMatchObject([
      { rule: "renewal", from: "active", to: "past_due", events: ["renewal_failure", "payment_failure", "subscription_state_change", "dunning_step_reached"] },
    ]);
    expect(await bad.read()).toMatchObject({ state: "past_due", previous_state: "active", balance_in_cents: 4900, total_revenue_in_cents: 4900 });
  });

  test("once per period however far the clock jumps", async () => {
    const { subscription, clock, read } = await signUp("renew-jump", "4111111111111111");
    const summary = await clock.advance(await secondsUntil(clock, subscription.current_period_ends_at!, 70 * day));
    const renewals = summary.changes.filter((change) => change.id === String(subscription.id));
    expect(renewals.map((change) => change.rule)).toEqual(["renewal", "renewal", "renewal"]);
    expect(renewals.map((change) => Date.parse(change.at))).toEqual([...renewals.map((change) => Date.parse(change.at))].sort((a, b) => a - b));
    expect((await read()).total_revenue_in_cents).toBe(4 * 4900);
  });

  test("invoice collection puts the period on the balance and stays active", async () => {
    const { subscription, clock, read } = await signUp("renew-invoice", undefined, { payment_collection_method: "remittance" });
    await clock.advance(await secondsUntil(clock, subscription.current_period_ends_at!));
    expect(await read()).toMatchObject({ state: "active", balance_in_cents: 4900 });
  });

  test("a delayed product change takes effect at the renewal", async () => {
    const { billing, subscription, clock, read } = await signUp("renew-product", "1");
    const changed = await billing.subscriptions.updateSubscription({
      subscription_id: subscription.id,
      body: { subscription: { product_handle: "estate-gardens", product_change_delayed: true } },
    });
    await expectAnswer("updateSubscription", 200, changed);
    await clock.advance(await secondsUntil(clock, subscription.current_period_ends_at!));
    expect(await read()).toMatchObject({ product: { handle: "estate-gardens" }, total_revenue_in_cents: 4900 + 2900 });
  });

  test("a fresh namespace is consistent: the seeds are placed at its start, 222 mid-period", async () => {
    const billing = statefulClient(namespace("renew-seeds"));
    const { data } = await billing.subscriptions.readSubscription({ subscription_id: 222 });
    const now = Date.now();
    expect(data!.subscription.state).toBe("active");
    expect(Date.parse(data!.subscription.current_period_started_at!)).toBeLessThan(now);
    expect(Date.parse(data!.subscription.current_period_ends_at!)).toBeGreaterThan(now);
    expect(Date.parse(data!.subscription.next_assessment_at!)).toBeGreaterThan(now);
  });
});

// An import synced to its renewal schedule (the official Create Subscription's next_billing_at):
// "no trial or initial charges ... The first payment will be captured ... near the time specified".
describe("an import with a future next_billing_at", () => {
  test("is not charged and skips the trial; its period runs from previous_billing_at; its first payment comes at next_billing_at", async () => {
    const name = namespace("import");
    const billing = statefulClient(name);
    const clock = control(name).clock;
    const hooks = await webhookReceiver();
    await billing.webhooks.createEndpoint({ body: { endpoint: { url: hooks.url, webhook_subscriptions: ["signup_success", "billing_date_change", "payment_success"] } } });
    const now = Math.floor((await clock.now()).getTime() / 1000);
    const at = (days: number) => new Date((now + days * day) * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
    // estate-stables: $37 a month after a free 14-day trial, which an import skips.
    const created = await billing.subscriptions.createSubscription({
      body: { subscription: { product_handle: "estate-stables", customer_id: 150, payment_profile_id: 10088716, next_billing_at: at(10), previous_billing_at: at(-20) } },
    });
    await expectAnswer("createSubscription", 201, created);
    const subscription = created.data!.subscription;
    expect(subscription).toMatchObject({ state: "active", total_revenue_in_cents: 0, trial_started_at: null, trial_ended_at: null, current_period_started_at: at(-20), current_period_ends_at: at(10), next_assessment_at: at(10), activated_at: at(-20) });
    const events = () => hooks.deliveries.map(({ body }) => Object.fromEntries(new URLSearchParams(body))).filter((fields) => fields["payload[subscription][id]"] === String(subscription.id)).map((fields) => fields.event);
    await expect.poll(events).toEqual(["signup_success", "billing_date_change"]);

    await clock.advance(11 * day);
    const renewed = await billing.subscriptions.readSubscription({ subscription_id: subscription.id });
    expect(renewed.data!.subscription).toMatchObject({ state: "active", total_revenue_in_cents: 3700, current_period_started_at: at(10) });
    await expect.poll(events).toEqual(["signup_success", "billing_date_change", "payment_success"]);
    await hooks.close();

    // A next_billing_at already past is no schedule: the signup bills now, as without one.
    const late = await billing.subscriptions.createSubscription({ body: { subscription: { product_handle: "estate-basic", customer_id: 150, payment_profile_id: 10088716, next_billing_at: at(-30) } } });
    await expectAnswer("createSubscription", 201, late);
    expect(late.data!.subscription).toMatchObject({ state: "active", total_revenue_in_cents: 4900 });
    expect(Date.parse(late.data!.subscription.next_assessment_at!)).toBeGreaterThan((now + 11 * day) * 1000);
  });
});

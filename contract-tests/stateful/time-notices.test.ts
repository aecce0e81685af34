import { defaultSharedKey } from "@billing-api/mock";
import { parseWebhook } from "@billing-api/client";
import { describe, expect, test } from "vitest";
import { webhookReceiver } from "@billing-api/test-support/webhook-receiver";
import { day, secondsUntil, signUp } from "../support/time.js";
import { expectAnswer } from "../support/stateful.js";

// The notices: three days (the mock's site settings) before a renewal or a trial's end, the clock's
// answer lists an upcoming_renewal_notice or a trial_end_notice among its `notices` (changes to
// nothing), once, and an endpoint subscribed to the event receives it. So does expiring_card, at the
// start of the month a subscription's card expires in.
const threeDays = 3 * day * 1000;
const minus = (at: string, ms: number) => new Date(Date.parse(at) - ms).toISOString().replace(/\.\d{3}Z$/, "Z");

describe("notices", () => {
  test("upcoming_renewal_notice: three days before the renewal, once, then the renewal; an endpoint receives both", async () => {
    const { billing, subscription, clock } = await signUp("notice-renewal", "1");
    const hooks = await webhookReceiver();
    await billing.webhooks.createEndpoint({ body: { endpoint: { url: hooks.url, webhook_subscriptions: ["upcoming_renewal_notice", "renewal_success"] } } });
    const id = String(subscription.id);
    const ours = <T extends { id: string }>(entries: T[]) => entries.filter((entry) => entry.id === id);
    const renews = subscription.next_assessment_at!;
    const noticeAt = minus(renews, threeDays);

    const before = await clock.advance(await secondsUntil(clock, noticeAt, -60));
    expect(ours(before.notices)).toEqual([]);
    const passed = await clock.advance(120);
    expect(ours(passed.notices)).toEqual([{ at: noticeAt, rule: "upcoming-renewal-notice", kind: "subscription", id, from: "active", to: "active", events: ["upcoming_renewal_notice"] }]);
    expect(ours(passed.changes)).toEqual([]);
    // Sent once: a later move before the renewal sends nothing again.
    expect(ours((await clock.advance(day)).notices)).toEqual([]);
    const renewed = await clock.advance(await secondsUntil(clock, renews));
    expect(ours(renewed.changes).map((change) => change.rule)).toEqual(["renewal"]);

    // The seeds' subscriptions (222, 223) renew in the same namespace: only this one's webhooks count,
    // read once both have arrived (they go out just after each answer).
    const received = async () => {
      const webhooks = await Promise.all(hooks.deliveries.map((delivery) => parseWebhook({ body: delivery.body, headers: delivery.headers as Record<string, string>, sharedKey: defaultSharedKey })));
      return webhooks.filter((webhook) => "subscription" in webhook.payload && webhook.payload.subscription.id === id);
    };
    await expect.poll(async () => (await received()).length).toBeGreaterThanOrEqual(2);
    const webhooks = await received();
    expect(webhooks.map(({ event }) => event)).toEqual(["upcoming_renewal_notice", "renewal_success"]);
    const notice = webhooks[0]!;
    if (notice.event !== "upcoming_renewal_notice") throw new Error(notice.event);
    expect(notice.payload.subscription).toMatchObject({ state: "active", product: { handle: "estate-basic" } });
    await hooks.close();
  });

  test("no renewal notice for a subscription that ends before it would renew", async () => {
    const { billing, subscription, clock } = await signUp("notice-ending", "1");
    await billing.subscriptions.initiateDelayedCancellation({ subscription_id: subscription.id, body: {} });
    const summary = await clock.advance(await secondsUntil(clock, subscription.next_assessment_at!));
    expect(summary.notices.filter((entry) => entry.id === String(subscription.id))).toEqual([]);
    expect(summary.changes.filter((change) => change.id === String(subscription.id)).map((change) => change.rule)).toEqual(["delayed-cancellation"]);
  });

  test("trial_end_notice: three days before a trial ends, with the subscription still trialing", async () => {
    const { subscription, clock } = await signUp("notice-trial", "1", {}, "estate-stables");
    const id = String(subscription.id);
    const summary = await clock.advance(await secondsUntil(clock, subscription.trial_ended_at!));
    expect(summary.notices.filter((entry) => entry.id === id)).toEqual([
      { at: minus(subscription.trial_ended_at!, threeDays), rule: "trial-end-notice", kind: "subscription", id, from: "trialing", to: "trialing", events: ["trial_end_notice"] },
    ]);
    expect(summary.changes.filter((change) => change.id === id).map((change) => change.rule)).toEqual(["trial-end"]);
  });

  test("expiring_card: at midnight at the site (UTC-5) on the first of the card's expiry month, once per subscription it pays for; the profile's own expiry counts", async () => {
    const { billing, subscription, clock } = await signUp("notice-card", "1");
    const hooks = await webhookReceiver();
    await billing.webhooks.createEndpoint({ body: { endpoint: { url: hooks.url, webhook_subscriptions: ["expiring_card"] } } });
    const id = String(subscription.id);
    const profileId = subscription.credit_card!.id!;
    /** The first of the month `months` after the namespace's now, at midnight UTC-5, and that month as a card has it. */
    const now = await clock.now();
    const firstOf = (months: number) => {
      const first = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + months, 1, 5));
      return { at: first.toISOString().replace(/\.\d{3}Z$/, "Z"), expiration_month: first.getUTCMonth() + 1, expiration_year: first.getUTCFullYear() };
    };
    const [march, may] = [firstOf(3), firstOf(5)];
    const expires = async (month: typeof march) =>
      billing.paymentProfiles.updatePaymentProfile({ payment_profile_id: profileId, body: { payment_profile: { expiration_month: month.expiration_month, expiration_year: month.expiration_year } } });
    await expectAnswer("updatePaymentProfile", 200, await expires(march));
    // A canceled subscription on a card expiring the same month is told nothing.
    const other = await billing.subscriptions.createSubscription({
      body: { subscription: { product_handle: "estate-basic", customer_id: subscription.customer.id, credit_card_attributes: { full_number: "1", expiration_month: march.expiration_month, expiration_year: march.expiration_year } } },
    });
    await billing.subscriptions.cancelSubscription({ subscription_id: other.data!.subscription.id, body: {} });
    const ours = <T extends { rule: string; id: string }>(entries: T[]) => entries.filter((entry) => entry.rule === "expiring-card" && [id, String(other.data!.subscription.id)].includes(entry.id));

    expect(ours((await clock.advance(await secondsUntil(clock, march.at, -60))).notices)).toEqual([]);
    expect(ours((await clock.advance(120)).notices)).toEqual([{ at: march.at, rule: "expiring-card", kind: "subscription", id, from: "active", to: "active", events: ["expiring_card"] }]);
    expect(ours((await clock.advance(day)).notices)).toEqual([]);
    const [delivery] = await hooks.until(1);
    const webhook = await parseWebhook({ body: delivery!.body, headers: delivery!.headers as Record<string, string>, sharedKey: defaultSharedKey });
    if (webhook.event !== "expiring_card") throw new Error(webhook.event);
    expect(webhook.payload.subscription).toMatchObject({ id, state: "active" });

    // A card renewed to expire in May: told on the first of May, not before.
    await expectAnswer("updatePaymentProfile", 200, await expires(may));
    const april = await clock.advance(await secondsUntil(clock, may.at, -60));
    expect(ours(april.notices)).toEqual([]);
    expect(ours((await clock.advance(120)).notices).map((entry) => entry.at)).toEqual([may.at]);
    await hooks.close();
  });
});

import { describe, expect, test } from "vitest";
import { webhookReceiver } from "@billing-api/test-support/webhook-receiver";
import { expectAnswer } from "../support/stateful.js";
import { day, secondsUntil, signUp } from "../support/time.js";

// The ending rules: a delayed cancellation at the period's end, and expires_at.
describe("delayed cancellation and expiry", () => {
  test("cancel at the end of the period: still active before, canceled after, at the period's end", async () => {
    const { billing, subscription, clock, read } = await signUp("end-cancel", "1");
    const canceling = await billing.subscriptions.cancelSubscription({
      subscription_id: subscription.id,
      body: { subscription: { cancel_at_end_of_period: true, cancellation_message: "Moving away" } },
    });
    await expectAnswer("cancelSubscription", 200, canceling);
    const periodEnds = subscription.current_period_ends_at!;
    await clock.advance(await secondsUntil(clock, periodEnds, -3600));
    expect((await read()).state).toBe("active");

    const summary = await clock.advance(2 * 3600);
    expect(summary.changes.filter((change) => change.id === String(subscription.id))).toEqual([
      { at: periodEnds, rule: "delayed-cancellation", kind: "subscription", id: String(subscription.id), from: "active", to: "canceled", events: ["subscription_state_change"] },
    ]);
    expect(await read()).toMatchObject({
      state: "canceled",
      canceled_at: periodEnds,
      cancellation_method: "merchant_api",
      cancellation_message: "Moving away",
      total_revenue_in_cents: 4900,
      next_assessment_at: null,
    });
  });

  test("initiateDelayedCancellation takes effect at delayed_cancel_at; undone, the subscription renews", async () => {
    const canceled = await signUp("end-delayed", "1");
    await expectAnswer("initiateDelayedCancellation", 200, await canceled.billing.subscriptions.initiateDelayedCancellation({ subscription_id: canceled.subscription.id, body: {} }));
    await canceled.clock.advance(await secondsUntil(canceled.clock, canceled.subscription.current_period_ends_at!));
    expect((await canceled.read()).state).toBe("canceled");

    const kept = await signUp("end-undone", "1");
    await kept.billing.subscriptions.initiateDelayedCancellation({ subscription_id: kept.subscription.id, body: {} });
    await expectAnswer("cancelDelayedCancellation", 200, await kept.billing.subscriptions.cancelDelayedCancellation({ subscription_id: kept.subscription.id }));
    await kept.clock.advance(await secondsUntil(kept.clock, kept.subscription.current_period_ends_at!));
    expect(await kept.read()).toMatchObject({ state: "active", total_revenue_in_cents: 9800 });
  });

  test("expires_at ends the subscription: expired", async () => {
    const expiresAt = new Date(Date.now() + 10 * day * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
    const { subscription, clock, read } = await signUp("end-expiry", "1", { expires_at: expiresAt });
    expect(subscription.expires_at).toBe(expiresAt);
    const summary = await clock.advance(11 * day);
    expect(summary.changes.filter((change) => change.id === String(subscription.id))).toMatchObject([{ rule: "expiry", from: "active", to: "expired" }]);
    expect(await read()).toMatchObject({ state: "expired", next_assessment_at: null });
  });

  test("expires_at set by updateSubscription is kept (expiration_date_change is sent) and ends the subscription then", async () => {
    const { billing, subscription, clock, read } = await signUp("end-expiry-update", "1");
    const hooks = await webhookReceiver();
    await billing.webhooks.createEndpoint({ body: { endpoint: { url: hooks.url, webhook_subscriptions: ["expiration_date_change", "subscription_state_change"] } } });
    const expiresAt = new Date((await clock.now()).getTime() + 5 * day * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
    const updated = await billing.subscriptions.updateSubscription({ subscription_id: subscription.id, body: { subscription: { expires_at: expiresAt } } });
    await expectAnswer("updateSubscription", 200, updated);
    expect(updated.data?.subscription.expires_at).toBe(expiresAt);
    const summary = await clock.advance(6 * day);
    expect(summary.changes.filter((change) => change.id === String(subscription.id))).toMatchObject([{ at: expiresAt, rule: "expiry", from: "active", to: "expired" }]);
    expect(await read()).toMatchObject({ state: "expired" });
    const [changed, ended] = await hooks.until(2);
    expect([new URLSearchParams(changed!.body).get("event"), new URLSearchParams(ended!.body).get("event")]).toEqual(["expiration_date_change", "subscription_state_change"]);
    expect(new URLSearchParams(changed!.body).get("payload[subscription][id]")).toBe(String(subscription.id));
    await hooks.close();
  });
});

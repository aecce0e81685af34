import { describe, expect, test } from "vitest";
import { expectAnswer } from "../support/stateful.js";
import { card, day, secondsUntil, signUp } from "../support/time.js";

// The dunning rule: a past_due subscription is retried every 3 days, 3 times, then canceled.
describe("dunning", () => {
  test("card 2 goes past_due at the renewal, is retried three times, then canceled by dunning", async () => {
    const { subscription, clock, read } = await signUp("dunning-cancel", "2");
    const periodEnds = subscription.current_period_ends_at!;
    await clock.advance(await secondsUntil(clock, periodEnds, 60));
    const pastDue = await read();
    expect(pastDue).toMatchObject({ state: "past_due", balance_in_cents: 4900 });
    expect(Date.parse(pastDue.next_assessment_at!)).toBe(Date.parse(periodEnds) + 3 * day * 1000);

    const summary = await clock.advance(10 * day);
    const mine = summary.changes.filter((change) => change.id === String(subscription.id));
    expect(mine.map((change) => [change.rule, change.to, change.events])).toEqual([
      ["dunning", "past_due", ["payment_failure", "dunning_step_reached"]],
      ["dunning", "past_due", ["payment_failure", "dunning_step_reached"]],
      ["dunning", "canceled", ["payment_failure", "subscription_state_change"]],
    ]);
    const canceled = await read();
    expect(canceled).toMatchObject({ state: "canceled", previous_state: "past_due", cancellation_method: "dunning", next_assessment_at: null });
    expect(Date.parse(canceled.canceled_at!)).toBe(Date.parse(periodEnds) + 9 * day * 1000);
  });

  test("a good card given while past_due is charged at the next retry: active again, nothing owed", async () => {
    const { billing, subscription, clock, read } = await signUp("dunning-recover", "2");
    await clock.advance(await secondsUntil(clock, subscription.current_period_ends_at!, 60));
    const good = await billing.paymentProfiles.createPaymentProfile({
      body: { payment_profile: { customer_id: subscription.customer.id, ...card("1") } },
    });
    await expectAnswer(
      "changeSubscriptionDefaultPaymentProfile",
      201,
      await billing.paymentProfiles.changeSubscriptionDefaultPaymentProfile({ subscription_id: subscription.id, payment_profile_id: good.data!.payment_profile.id! }),
    );
    const summary = await clock.advance(3 * day);
    expect(summary.changes.filter((change) => change.id === String(subscription.id))).toMatchObject([
      { rule: "dunning", from: "past_due", to: "active", events: ["payment_success", "subscription_state_change"] },
    ]);
    const recovered = await read();
    expect(recovered).toMatchObject({ state: "active", balance_in_cents: 0, total_revenue_in_cents: 9800 });
    expect(recovered.next_assessment_at).toBe(recovered.current_period_ends_at);
  });
});

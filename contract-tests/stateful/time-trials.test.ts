import { describe, expect, test } from "vitest";
import { day, secondsUntil, signUp } from "../support/time.js";

// The trial rule: estate-stables (3103) has a 14-day free trial; at its end the first period starts.
describe("trial end", () => {
  test("a product with a trial starts trialing, and is active and charged when the trial ends", async () => {
    const { subscription, clock, read } = await signUp("trial-card", "1", {}, "estate-stables");
    expect(subscription).toMatchObject({ state: "trialing", total_revenue_in_cents: 0 });
    const trialEnds = subscription.trial_ended_at!;
    expect(Date.parse(trialEnds) - Date.parse(subscription.trial_started_at!)).toBe(14 * day * 1000);
    expect(subscription.next_assessment_at).toBe(trialEnds);

    const summary = await clock.advance(await secondsUntil(clock, trialEnds));
    expect(summary.changes.filter((change) => change.id === String(subscription.id))).toMatchObject([
      { at: trialEnds, rule: "trial-end", from: "trialing", to: "active", events: ["payment_success", "subscription_state_change"] },
    ]);
    expect(await read()).toMatchObject({ state: "active", previous_state: "trialing", current_period_started_at: trialEnds, total_revenue_in_cents: 3700 });
  });

  test("without a payment method the trial ends as trial_ended", async () => {
    const { subscription, clock, read } = await signUp("trial-none", undefined, {}, "estate-stables");
    await clock.advance(await secondsUntil(clock, subscription.trial_ended_at!));
    expect(await read()).toMatchObject({ state: "trial_ended", next_assessment_at: null });
  });

  test("on card 2 the first charge fails: past_due", async () => {
    const { subscription, clock, read } = await signUp("trial-declined", "2", {}, "estate-stables");
    await clock.advance(await secondsUntil(clock, subscription.trial_ended_at!));
    expect(await read()).toMatchObject({ state: "past_due", balance_in_cents: 3700 });
  });
});

/**
 * Dunning: a `past_due` subscription's balance is retried every `retryDays` days (its
 * `next_assessment_at` says when), `retries` times. Paid, it is `active` again until its period
 * ends; still refused after the last retry, it is `canceled` by dunning (`cancellation_method`
 * `dunning`), the end of the dunning path Advanced Billing documents.
 */
import { iso } from "../call.js";
import type { TimeRule } from "../time-step.js";
import { collects, day, dunningStep, paymentMemo, paymentPayload, retries, retryDays, saveAt, time } from "./periods.js";

export const dunning: TimeRule = {
  name: "dunning",
  kind: "subscription",
  due: (subscription) => (subscription.state === "past_due" ? time(subscription.next_assessment_at) : undefined),
  async apply(tick, subscription) {
    const owed = Number(subscription.balance_in_cents ?? 0);
    const retry = (success: boolean) => () =>
      paymentPayload(tick, subscription, { amount: Math.max(owed, 0), success, memo: paymentMemo(subscription, "Dunning retry", success), balanceBefore: owed, balanceAfter: success ? Math.min(owed, 0) : owed });
    if (owed <= 0 || (await collects(tick, subscription))) {
      const periodEnds = time(subscription.current_period_ends_at);
      const next = periodEnds !== undefined && periodEnds > tick.at.getTime() ? subscription.current_period_ends_at : tick.atIso;
      const revenue = Number(subscription.total_revenue_in_cents ?? 0) + Math.max(owed, 0);
      const payment = retry(true);
      return saveAt(
        tick,
        "dunning",
        subscription,
        { state: "active", balance_in_cents: Math.min(owed, 0), total_revenue_in_cents: revenue, next_assessment_at: next },
        ["payment_success", "subscription_state_change"],
        payment,
      );
    }
    const started = time(subscription.current_period_started_at) ?? tick.at.getTime();
    const attempt = Math.round((tick.at.getTime() - started) / (retryDays * day));
    const payment = retry(false);
    if (attempt < retries) {
      const next = iso(new Date(tick.at.getTime() + retryDays * day));
      const step = async () => ({ ...(await payment()), ...dunningStep(subscription, owed, attempt * retryDays) });
      return saveAt(tick, "dunning", subscription, { next_assessment_at: next }, ["payment_failure", "dunning_step_reached"], step);
    }
    return saveAt(
      tick,
      "dunning",
      subscription,
      { state: "canceled", canceled_at: tick.atIso, cancellation_method: "dunning", next_assessment_at: null, cancel_at_end_of_period: false, delayed_cancel_at: null },
      ["payment_failure", "subscription_state_change"],
      payment,
    );
  },
};

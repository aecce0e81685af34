/**
 * Trials: a subscription to a product with a trial is `trialing` until `trial_ended_at`. Then, with
 * a payment method, its first period starts and is charged, less its coupons, through the Test
 * Gateway (`active`, or `past_due` when refused); without one it is `trial_ended`, waiting for a card.
 */
import type { TimeRule } from "../time-step.js";
import { discounted } from "./discounts.js";
import { payingProfile } from "./gateway.js";
import { collects, dunningStep, firstRetry, newPeriod, paymentMemo, periodPrice, productOf, paymentPayload, saveAt, time } from "./periods.js";

export const trialEnd: TimeRule = {
  name: "trial-end",
  kind: "subscription",
  due: (subscription) => (subscription.state === "trialing" ? time(subscription.trial_ended_at) : undefined),
  async apply(tick, subscription) {
    const product = await productOf(tick, subscription);
    const automatic = (subscription.payment_collection_method ?? "automatic") === "automatic";
    const period = newPeriod(tick, product);
    if (automatic && !(await payingProfile(tick.store, subscription))) {
      return saveAt(tick, "trial-end", subscription, { state: "trial_ended", next_assessment_at: null }, ["subscription_state_change"]);
    }
    // The first paid period: a one-time coupon a free trial left unused discounts it.
    const charge = await discounted(tick.store, subscription, periodPrice(subscription, product));
    const price = charge.price;
    Object.assign(period, await charge.use());
    const balance = Number(subscription.balance_in_cents ?? 0);
    if (!automatic) return saveAt(tick, "trial-end", subscription, { ...period, state: "active", balance_in_cents: balance + price }, ["subscription_state_change"]);
    const success = await collects(tick, subscription);
    const owed = balance + price;
    const payment = () => paymentPayload(tick, subscription, { amount: price, success, memo: paymentMemo(subscription, "First payment after the trial", success), balanceBefore: owed, balanceAfter: success ? balance : owed });
    if (success) {
      const revenue = Number(subscription.total_revenue_in_cents ?? 0) + price;
      return saveAt(tick, "trial-end", subscription, { ...period, state: "active", total_revenue_in_cents: revenue }, ["payment_success", "subscription_state_change"], payment);
    }
    return saveAt(
      tick,
      "trial-end",
      subscription,
      { ...period, state: "past_due", balance_in_cents: owed, next_assessment_at: firstRetry(tick) },
      ["payment_failure", "subscription_state_change", "dunning_step_reached"],
      async () => ({ ...(await payment()), ...dunningStep({ ...subscription, ...period }, owed, 0) }),
    );
  },
};

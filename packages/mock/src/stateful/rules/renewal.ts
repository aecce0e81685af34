/**
 * Renewal: at `next_assessment_at` an active subscription starts a new period (moved on by its
 * product's interval) and the period, less its coupons (discounts.ts), is charged to its payment
 * method through the Test Gateway.
 * Paid, the revenue grows; refused (card 2 or 3, or no payment method), the amount stays on the
 * balance and the subscription is `past_due`, where dunning (dunning.ts) retries it. Invoice and
 * remittance collection adds the period to the balance and stays active. A delayed product change
 * (`next_product_id`) takes effect here. Once per period, however far the clock jumps.
 */
import type { TimeRule } from "../time-step.js";
import { discounted } from "./discounts.js";
import { collects, dunningStep, firstRetry, newPeriod, paymentMemo, periodPrice, productOf, paymentPayload, saveAt, time } from "./periods.js";

export const renewal: TimeRule = {
  name: "renewal",
  kind: "subscription",
  due: (subscription) => (subscription.state === "active" ? time(subscription.next_assessment_at) : undefined),
  async apply(tick, subscription) {
    let product = await productOf(tick, subscription);
    const changes: Record<string, unknown> = {};
    if (subscription.next_product_id != null) {
      const next = await tick.store.get("product", String(subscription.next_product_id));
      if (next) {
        product = next;
        Object.assign(changes, {
          product: next,
          product_price_in_cents: next.price_in_cents,
          product_version_number: next.version_number,
          product_price_point_id: next.product_price_point_id,
        });
      }
      Object.assign(changes, { next_product_id: null, next_product_handle: null });
    }
    // The period is assessed whether or not the payment goes through: its coupons count the use.
    const charge = await discounted(tick.store, { ...subscription, ...changes }, periodPrice({ ...subscription, ...changes }, product));
    const price = charge.price;
    Object.assign(changes, newPeriod(tick, product), await charge.use());
    const balance = Number(subscription.balance_in_cents ?? 0);
    if ((subscription.payment_collection_method ?? "automatic") !== "automatic") {
      return saveAt(tick, "renewal", subscription, { ...changes, balance_in_cents: balance + price }, ["renewal_success"]);
    }
    const renewed = { ...subscription, ...changes };
    if (await collects(tick, subscription)) {
      const revenue = Number(subscription.total_revenue_in_cents ?? 0) + price;
      const payment = () => paymentPayload(tick, renewed, { amount: price, success: true, memo: paymentMemo(renewed, "Renewal payment", true), balanceBefore: balance + price, balanceAfter: balance });
      return saveAt(tick, "renewal", subscription, { ...changes, total_revenue_in_cents: revenue }, ["renewal_success", "payment_success"], payment);
    }
    const owed = balance + price;
    const payment = () => paymentPayload(tick, renewed, { amount: price, success: false, memo: paymentMemo(renewed, "Renewal payment", false), balanceBefore: owed, balanceAfter: owed });
    return saveAt(
      tick,
      "renewal",
      subscription,
      { ...changes, state: "past_due", balance_in_cents: owed, next_assessment_at: firstRetry(tick) },
      ["renewal_failure", "payment_failure", "subscription_state_change", "dunning_step_reached"],
      async () => ({ ...(await payment()), ...dunningStep(renewed, owed, 0) }),
    );
  },
};

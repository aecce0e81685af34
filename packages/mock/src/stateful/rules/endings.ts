/**
 * How subscriptions end on their own: a delayed cancellation (`delayed_cancel_at`, or
 * `cancel_at_end_of_period` at the period's end) makes it `canceled`; `expires_at` makes it `expired`.
 * Both come before a renewal due at the same moment.
 */
import type { TimeRule } from "../time-step.js";
import type { StoredRecord } from "../store.js";
import { saveAt, time } from "./periods.js";

const ended = new Set(["canceled", "expired"]);

export function cancelsAt(subscription: StoredRecord): number | undefined {
  if (ended.has(String(subscription.state))) return undefined;
  const delayed = time(subscription.delayed_cancel_at);
  if (delayed !== undefined) return delayed;
  return subscription.cancel_at_end_of_period === true ? time(subscription.current_period_ends_at) : undefined;
}

export const delayedCancellation: TimeRule = {
  name: "delayed-cancellation",
  kind: "subscription",
  due: cancelsAt,
  apply: (tick, subscription) =>
    saveAt(
      tick,
      "delayed-cancellation",
      subscription,
      {
        state: "canceled",
        canceled_at: tick.atIso,
        cancellation_method: subscription.cancellation_method ?? "merchant_api",
        delayed_cancel_at: null,
        scheduled_cancellation_at: null,
        next_assessment_at: null,
      },
      ["subscription_state_change"],
    ),
};

export const expiry: TimeRule = {
  name: "expiry",
  kind: "subscription",
  due: (subscription) => (ended.has(String(subscription.state)) ? undefined : time(subscription.expires_at)),
  apply: (tick, subscription) =>
    saveAt(tick, "expiry", subscription, { state: "expired", next_assessment_at: null, delayed_cancel_at: null, scheduled_cancellation_at: null }, [
      "subscription_state_change",
    ]),
};

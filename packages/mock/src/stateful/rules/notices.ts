/**
 * Notices: the API tells ahead of time (as many days ahead as the site's settings say) that a
 * subscription renews (`upcoming_renewal_notice`) or that its trial ends (`trial_end_notice`). The
 * mock's site says three days for both. It also tells, at the start of the month a card expires in,
 * that the card of a subscription is expiring (`expiring_card`). A notice changes no record: it is
 * sent once, when a move of the clock passes its moment (`notice` rules, see time-step.ts), and only
 * for a renewal or a trial end that is still ahead then, or a subscription that still pays with the card.
 */
import type { TimeRule } from "../time-step.js";
import type { StoredRecord } from "../store.js";
import { siteOffsetMinutes } from "../site.js";
import { cancelsAt } from "./endings.js";
import { day, time } from "./periods.js";

/** The mock's site settings: how many days ahead each notice goes out. */
export const noticeDays = { renewal: 3, trialEnd: 3 };

/** When an active subscription renews, unless it is canceled or expires first. */
function renewsAt(subscription: StoredRecord): number | undefined {
  if (subscription.state !== "active") return undefined;
  const renews = time(subscription.next_assessment_at);
  if (renews === undefined) return undefined;
  const ends = Math.min(cancelsAt(subscription) ?? Infinity, time(subscription.expires_at) ?? Infinity);
  return ends <= renews ? undefined : renews;
}

const notice = (name: string, event: string, at: (subscription: StoredRecord) => number | undefined, days: number): TimeRule => ({
  name,
  kind: "subscription",
  notice: true,
  due: (subscription) => {
    const moment = at(subscription);
    return moment === undefined ? undefined : moment - days * day;
  },
  apply: async (tick, subscription) => [{ at: tick.atIso, rule: name, kind: "subscription", id: String(subscription.id), from: String(subscription.state), to: String(subscription.state), events: [event] }],
});

export const upcomingRenewalNotice = notice("upcoming-renewal-notice", "upcoming_renewal_notice", renewsAt, noticeDays.renewal);
export const trialEndNotice = notice(
  "trial-end-notice",
  "trial_end_notice",
  (subscription) => (subscription.state === "trialing" ? time(subscription.trial_ended_at) : undefined),
  noticeDays.trialEnd,
);

/** States in which a subscription will not be charged again: its card's expiry is nothing to it. */
const over = new Set(["canceled", "expired", "failed_to_create"]);

/**
 * `expiring_card`: a card expires at the end of the month on it, and the API says so at the start of
 * that month (midnight in the site's zone), once for each subscription that pays with it. The moment
 * is the card's, so a card changed on the profile moves it.
 */
export const expiringCard: TimeRule = {
  name: "expiring-card",
  kind: "payment_profile",
  notice: true,
  due: (profile) => {
    if (profile.payment_type !== "credit_card") return undefined;
    const [month, year] = [Number(profile.expiration_month), Number(profile.expiration_year)];
    if (!Number.isInteger(month) || month < 1 || month > 12 || !Number.isInteger(year)) return undefined;
    return Date.UTC(year, month - 1, 1) - siteOffsetMinutes * 60_000;
  },
  apply: async (tick, profile) =>
    (await tick.store.list("subscription", { field: "credit_card.id", value: String(profile.id) }))
      .filter((subscription) => !over.has(String(subscription.state)))
      .map((subscription) => ({ at: tick.atIso, rule: "expiring-card", kind: "subscription", id: String(subscription.id), from: String(subscription.state), to: String(subscription.state), events: ["expiring_card"] })),
};

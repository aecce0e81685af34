/**
 * Coupons at a charge: each charge of a subscription's price (its signup, a renewal, a trial's end,
 * a reactivation, a migration) is discounted by the coupons it carries that still apply, as the
 * coupon documents them: a percentage or a flat amount off; once (`do_not_recur`, or `recurring`
 * false), for `duration_period_count` charges (`recur_with_duration`), or at every charge
 * (`recur_indefinitely`, or `recurring` true); stacked in the order they were applied, each
 * `compound` one taken off the price already discounted, each `full-price` one computed on the
 * full price; never below zero. A charge of nothing (a free trial) uses no coupon, so a one-time
 * coupon waits for the first paid period.
 * How many charges each coupon has discounted is kept per subscription and code (kind
 * `coupon_use`, never answered): `coupon_use_count` and `coupon_uses_allowed` are the first
 * coupon's, and `include[]=coupons` shows each one's.
 */
import { coerce } from "../schema.js";
import type { Store, StoredRecord } from "../store.js";

/** The store kind that counts a coupon's uses on one subscription. */
const useKind = "coupon_use";
const useKey = (subscriptionId: unknown, code: string) => `${String(subscriptionId)}:${code}`;

/** The coupon of `code` as the store holds it: the live one, else the last archived one (a subscription keeps what it was given). */
export async function couponByCode(store: Store, code: string): Promise<StoredRecord | undefined> {
  const all = (await store.list("coupon")).filter((coupon) => coupon.code === code);
  return all.find((coupon) => coupon.archived_at == null) ?? all.at(-1);
}

/** How many charges the coupon may discount: 1, its duration, or null for every one. */
export function usesAllowed(coupon: StoredRecord): number | null {
  const scheme = coupon.recurring_scheme ?? (coerce({ type: "boolean" }, coupon.recurring) === true ? "recur_indefinitely" : "do_not_recur");
  if (scheme === "recur_indefinitely") return null;
  if (scheme === "recur_with_duration") return coupon.duration_period_count == null ? null : Number(coupon.duration_period_count);
  return 1;
}

/**
 * How many charges the coupon has discounted on the subscription: its count, or for a subscription
 * the example universe seeded with a coupon, the `coupon_use_count` it was seeded with.
 */
export async function usesOf(store: Store, subscription: StoredRecord, code: string): Promise<number> {
  const counted = await store.get(useKind, useKey(subscription.id, code));
  if (counted) return Number(counted.uses);
  return code === subscription.coupon_code ? Number(subscription.coupon_use_count ?? 0) : 0;
}

/** `coupon_use_count` and `coupon_uses_allowed`: the first code's, or null without one. */
export async function couponFields(store: Store, subscription: StoredRecord, codes: string[]): Promise<StoredRecord> {
  const first = codes[0];
  const coupon = first === undefined ? undefined : await couponByCode(store, first);
  if (first === undefined || !coupon) return { coupon_use_count: null, coupon_uses_allowed: null };
  return { coupon_use_count: await usesOf(store, subscription, first), coupon_uses_allowed: usesAllowed(coupon) };
}

/** A charge's price after its coupons, and what saving it records. */
export interface Discounted {
  /** What is charged, in cents. */
  price: number;
  /** The coupons that discounted it, by code. */
  applied: string[];
  /** Counts one use of each applied coupon, and gives the subscription's coupon fields after it. */
  use(): Promise<StoredRecord>;
}

/** The subscription's `price` charge, discounted by its coupons that still apply. */
export async function discounted(store: Store, subscription: StoredRecord, price: number): Promise<Discounted> {
  const codes = Array.isArray(subscription.coupon_codes) ? subscription.coupon_codes.map(String) : [];
  const applied: string[] = [];
  let left = price;
  if (price > 0) {
    for (const code of codes) {
      const coupon = await couponByCode(store, code);
      if (!coupon) continue;
      const allowed = usesAllowed(coupon);
      if (allowed !== null && (await usesOf(store, subscription, code)) >= allowed) continue;
      const base = coupon.compounding_strategy === "full-price" ? price : left;
      const off = coupon.percentage != null ? Math.round((base * Number(coupon.percentage)) / 100) : Number(coupon.amount_in_cents ?? 0);
      left = Math.max(0, left - off);
      applied.push(code);
    }
  }
  return {
    price: left,
    applied,
    async use() {
      for (const code of applied) {
        const uses = await usesOf(store, subscription, code);
        await store.put(useKind, useKey(subscription.id, code), { subscription_id: subscription.id, code, uses: uses + 1 });
      }
      return couponFields(store, subscription, codes);
    },
  };
}

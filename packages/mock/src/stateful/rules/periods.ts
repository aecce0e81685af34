/**
 * What renewals, retries and trial ends share: the product a subscription is on (as the store
 * holds it), a charge through the Test Gateway, and a new billing period.
 */
import type { Tick, TimeChange } from "../time-step.js";
import type { StoredRecord } from "../store.js";
import { payingProfile, testGateway } from "./gateway.js";
import { addInterval } from "./subscriptions.js";

/** Dunning: retries this many days apart, this many times, then the subscription is canceled. */
export const retryDays = 3;
export const retries = 3;
export const day = 24 * 60 * 60 * 1000;

export const time = (value: unknown): number | undefined => {
  if (typeof value !== "string") return undefined;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : at;
};

/** The subscription's product as the store holds it (products are data), else its embedded copy. */
export async function productOf(tick: Tick, subscription: StoredRecord): Promise<StoredRecord | undefined> {
  const embedded = subscription.product as StoredRecord | undefined;
  if (!embedded) return undefined;
  return (await tick.store.get("product", String(embedded.id))) ?? embedded;
}

/** The price of one period, in cents. */
export function periodPrice(subscription: StoredRecord, product: StoredRecord | undefined): number {
  return Number(subscription.product_price_in_cents ?? product?.price_in_cents ?? 0);
}

/** Whether the subscription's own payment method pays `amount` (automatic collection only). */
export async function collects(tick: Tick, subscription: StoredRecord): Promise<boolean> {
  return testGateway(await payingProfile(tick.store, subscription)).pays;
}

/** A new period from `tick.at`, by the product's interval. */
export function newPeriod(tick: Tick, product: StoredRecord | undefined): StoredRecord {
  const ends = addInterval(tick.at, product).toISOString().replace(/\.\d{3}Z$/, "Z");
  return { current_period_started_at: tick.atIso, current_period_ends_at: ends, next_assessment_at: ends };
}

/** The first dunning retry after a payment failed at `tick.at`. */
export function firstRetry(tick: Tick): string {
  return new Date(tick.at.getTime() + retryDays * day).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** Saves the subscription's changes as of the tick and says what changed. */
export async function saveAt(tick: Tick, rule: string, subscription: StoredRecord, changes: StoredRecord, events: string[]): Promise<TimeChange[]> {
  const saved: StoredRecord = { ...subscription, ...changes, updated_at: tick.atIso };
  if (changes.state !== undefined && changes.state !== subscription.state) saved.previous_state = subscription.state;
  await tick.store.put("subscription", String(saved.id), saved);
  return [{ at: tick.atIso, rule, kind: "subscription", id: String(saved.id), from: String(subscription.state), to: String(saved.state), events }];
}

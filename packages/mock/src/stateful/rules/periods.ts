/**
 * What renewals, retries and trial ends share: the product a subscription is on (as the store
 * holds it), a charge through the Test Gateway, and a new billing period.
 */
import { iso } from "../call.js";
import type { Tick, TimeChange, TimePayload } from "../time-step.js";
import type { StoredRecord } from "../store.js";
import { declined, payingProfile, testGateway } from "./gateway.js";
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
  const ends = iso(addInterval(tick.at, product));
  return { current_period_started_at: tick.atIso, current_period_ends_at: ends, next_assessment_at: ends };
}

/** The first dunning retry after a payment failed at `tick.at`. */
export function firstRetry(tick: Tick): string {
  return iso(new Date(tick.at.getTime() + retryDays * day));
}

/** Saves the subscription's changes as of the tick and says what changed (and, for its webhooks, what else their payloads read). */
export async function saveAt(
  tick: Tick,
  rule: string,
  subscription: StoredRecord,
  changes: StoredRecord,
  events: string[],
  payloads?: () => Promise<Record<string, TimePayload>>,
): Promise<TimeChange[]> {
  const saved: StoredRecord = { ...subscription, ...changes, updated_at: tick.atIso };
  if (changes.state !== undefined && changes.state !== subscription.state) saved.previous_state = subscription.state;
  await tick.store.put("subscription", String(saved.id), saved);
  return [{ at: tick.atIso, rule, kind: "subscription", id: String(saved.id), from: String(subscription.state), to: String(saved.state), events, ...(payloads ? { payloads } : {}) }];
}

/** What a payment's transaction says it was for: `Martha Washington - Estate care, basic: Renewal payment`. */
export function paymentMemo(subscription: StoredRecord, what: string, success: boolean): string {
  const customer = (subscription.customer ?? {}) as StoredRecord;
  const product = (subscription.product ?? {}) as StoredRecord;
  const memo = `${[customer.first_name, customer.last_name].filter(Boolean).join(" ")} - ${String(product.name ?? "")}: ${what}`;
  return success ? memo : `${memo} (declined: ${declined})`;
}

/** What one payment attempt was: its amount, whether the gateway took it, its memo, the balance around it. */
export interface PaymentAttempt {
  amount: number;
  success: boolean;
  memo: string;
  balanceBefore: number;
  balanceAfter: number;
}

/**
 * A payment the Test Gateway was asked for (at a renewal, a dunning retry, a trial's end or a
 * reactivation), as the transaction of its payment_success or payment_failure webhook. It takes an
 * id from the transactions' counter (charges take theirs from it too) but is not stored: a
 * namespace's store holds what the API lets a client read, and years of renewals would fill it.
 */
export async function paymentTransaction(at: Pick<Tick, "store" | "atIso">, subscription: StoredRecord, attempt: PaymentAttempt): Promise<StoredRecord> {
  const profile = await payingProfile(at.store, subscription);
  const id = await at.store.nextId("transaction", 0);
  return {
    id,
    subscription_id: subscription.id,
    customer_id: (subscription.customer as StoredRecord | undefined)?.id ?? null,
    product_id: (subscription.product as StoredRecord | undefined)?.id ?? null,
    type: "Payment",
    transaction_type: "payment",
    kind: null,
    success: attempt.success,
    amount_in_cents: attempt.amount,
    memo: attempt.memo,
    created_at: at.atIso,
    starting_balance_in_cents: attempt.balanceBefore,
    ending_balance_in_cents: attempt.balanceAfter,
    gateway_used: profile ? "bogus" : null,
    gateway_transaction_id: attempt.success ? String(id) : null,
    card_number: profile?.masked_card_number ?? null,
    card_type: profile?.card_type ?? null,
  };
}

/** The time step's payment, by the event its webhook is: `{ payment_success: { transaction } }`. */
export async function paymentPayload(tick: Tick, subscription: StoredRecord, attempt: PaymentAttempt): Promise<Record<string, TimePayload>> {
  return { [attempt.success ? "payment_success" : "payment_failure"]: { transaction: await paymentTransaction(tick, subscription, attempt) } };
}

/**
 * The dunner that follows a subscription through one dunning, and the step it reached `days` after
 * the failed payment that started it (the period's start: a failed renewal or trial end starts the
 * period it could not collect): the payload of dunning_step_reached. The dunner is named by the
 * subscription and that day, so every step of one dunning names the same one and a later dunning
 * another.
 */
export function dunningStep(subscription: StoredRecord, owed: number, days: number): Record<string, TimePayload> {
  const started = String(subscription.current_period_started_at);
  const id = `${String(subscription.id)}${Math.floor((time(started) ?? 0) / day)}`;
  return { dunning_step_reached: { dunner: { id, revenue_at_risk_in_cents: owed, created_at: started }, current_step: { day_threshold: days, action: "retry_payment", send_email: true } } };
}

/**
 * The records an event's payload is built from, read from the namespace's store: by the kind and
 * id the event names (events.ts, or the clock's time step), with the embedded resources as they
 * are now (a subscription's customer, product and card).
 */
import { kinds } from "../stateful/resources.js";
import { site } from "../stateful/site.js";
import type { Store, StoredRecord } from "../stateful/store.js";

const siteJson = JSON.stringify(site);

/**
 * A payload's context as JSON: the records, what the event adds to them (over their own keys), the
 * site and the event's id. Most events add nothing: then the records' JSON is extended as text, with
 * no merged copy of them made first (this runs inside the call's turn, for every webhook).
 */
export function contextJson(records: StoredRecord, added: Record<string, unknown> | undefined, eventId: number): string {
  if (added === undefined && !("site" in records) && !("event_id" in records)) {
    const json = JSON.stringify(records);
    if (json !== "{}") return `${json.slice(0, -1)},"site":${siteJson},"event_id":${eventId}}`;
  }
  return JSON.stringify({ ...records, ...added, site, event_id: eventId });
}

const isRecord = (value: unknown): value is StoredRecord => typeof value === "object" && value !== null && !Array.isArray(value);

async function current(store: Store, kind: string, record: StoredRecord): Promise<StoredRecord> {
  const rendered = { ...record };
  for (const [field, embeddedKind] of Object.entries(kinds[kind]?.embeds ?? {})) {
    const embedded = record[field];
    if (!isRecord(embedded) || embedded.id === undefined) continue;
    rendered[field] = (await store.get(embeddedKind, String(embedded.id))) ?? embedded;
  }
  return rendered;
}

async function subscriptionContext(store: Store, id: string): Promise<StoredRecord | undefined> {
  const stored = await store.get("subscription", id);
  return stored && recordContext(store, "subscription", stored);
}

/** The payload's context for a record the store does not keep (a refused signup's subscription). */
export async function recordContext(store: Store, kind: string, record: StoredRecord): Promise<StoredRecord | undefined> {
  if (kind !== "subscription") return undefined;
  const subscription = await current(store, "subscription", record);
  return { subscription, product: subscription.product, payment_profile: subscription.credit_card ?? subscription.bank_account };
}

/** The payload's context for a record, or undefined when the store has no such record. */
export async function contextOf(store: Store, kind: string, id: string): Promise<StoredRecord | undefined> {
  if (kind === "customer") {
    const customer = await store.get("customer", id);
    return customer && { customer };
  }
  if (kind === "subscription") return subscriptionContext(store, id);
  if (kind === "subscription_group") {
    const group = await store.get("subscription_group", id);
    if (!group) return undefined;
    const profile = group.payment_profile_id == null ? undefined : await store.get("payment_profile", String(group.payment_profile_id));
    return { subscription_group: group, payment_profile: profile };
  }
  if (kind === "transaction") {
    const transaction = await store.get("transaction", id);
    if (!transaction) return undefined;
    const around = (await subscriptionContext(store, String(transaction.subscription_id))) ?? {};
    const amount = Number(transaction.amount_in_cents ?? 0);
    // The refund events' own keys (payment_id, refund_amount_in_cents, ...) beside the subscription.
    const paid = transaction.payment_id ?? (await store.list("payment", { field: "subscription_id", value: String(transaction.subscription_id) })).at(-1)?.id;
    const payment = paid == null ? undefined : await store.get("payment", String(paid));
    return {
      ...around,
      transaction: { ...transaction, type: "Payment", transaction_type: "payment", kind: null },
      payment_id: paid ?? transaction.id,
      refund_id: transaction.id,
      refund_amount_in_cents: amount,
      refund_amount: (amount / 100).toFixed(2),
      payment_amount_in_cents: payment?.amount_in_cents,
      memo: transaction.memo,
      gateway_order_id: transaction.gateway_order_id,
      timestamp: transaction.created_at,
    };
  }
  return undefined;
}

/**
 * Which API calls emit which webhook events, as data: an operation and its success status, and the
 * events it emits, in the order the API sends them, each naming the record its payload is built
 * from (kind and id). Applied once, at the engine's boundary (after a rule or the table answered,
 * inside the namespace's turn), so the rules never know about webhooks. What the clock's time step
 * changes (renewals, dunning, trials) emits its events through the same `emit` (webhooks/dispatcher.ts).
 */
import type { Reply } from "./call.js";
import type { StoredRecord } from "./store.js";
import { isObject } from "./schema.js";
import { importedUntil } from "./rules/subscriptions.js";

/** One event to send: its name, and the stored record its payload is built from. */
export interface EmittedEvent {
  event: string;
  kind: "customer" | "subscription" | "subscription_group" | "transaction";
  id: string;
  /** Values the record does not hold (the product before a change), merged into the payload's context. */
  context?: Record<string, unknown>;
  /** The record itself, when the store does not keep it (a refused signup's subscription). */
  record?: StoredRecord;
}

/** What an event rule sees of a call: its path parameters, its request body and its answer. */
export interface AnsweredCall {
  path: Record<string, string>;
  body: unknown;
  reply: Reply;
  /** The subscription before the call, for the rules that compare (a product change); read for `before` only. */
  before?: Record<string, unknown> | undefined;
  /** The payment the call took (`reply.payment`, built), for payment_success. */
  payment?: StoredRecord | undefined;
}

export interface EventRule {
  status: number;
  /** Reads the subscription named by the path before the call runs (for a change's old value). */
  before?: "subscription";
  events(call: AnsweredCall): EmittedEvent[];
  /** The events of a refusal that carries what was refused (`reply.refused`: a declined signup, a declined payment). */
  refused?(call: AnsweredCall, record: StoredRecord): EmittedEvent[];
}

const field = (value: unknown, ...path: string[]): unknown => path.reduce<unknown>((node, key) => (isObject(node) ? node[key] : undefined), value);
const idOf = (value: unknown, ...path: string[]): string => String(field(value, ...path));
const sent = (call: AnsweredCall, wrapper: string): Record<string, unknown> => {
  const inner = field(call.body, wrapper);
  return isObject(inner) ? inner : {};
};
const subscriptionEvent = (event: string) => (call: AnsweredCall): EmittedEvent[] => [{ event, kind: "subscription", id: call.path.subscription_id! }];
/** payment_success for the payment a call took, about the subscription it paid for. */
const paymentEvent = (call: AnsweredCall, subscriptionId: string): EmittedEvent[] =>
  call.payment ? [{ event: "payment_success", kind: "subscription", id: subscriptionId, context: { transaction: call.payment } }] : [];
const previousProduct = (call: AnsweredCall) => ({ previous_product: field(call.before, "product") });
const productChanged = (call: AnsweredCall) => idOf(call.before, "product", "id") !== idOf(call.reply.body, "subscription", "product", "id");

/** By operationId: the events of its documented success. */
export const eventRules: Record<string, EventRule> = {
  createCustomer: { status: 201, events: (call) => [{ event: "customer_create", kind: "customer", id: idOf(call.reply.body, "customer", "id") }] },
  updateCustomer: { status: 200, events: (call) => [{ event: "customer_update", kind: "customer", id: idOf(call.reply.body, "customer", "id") }] },
  createSubscription: {
    status: 201,
    // The gateway declined the card: the customer the call made stays (customer_create), the
    // subscription is sent as it was refused and is kept nowhere.
    refused: (call, subscription) => [
      ...(isObject(sent(call, "subscription").customer_attributes) ? [{ event: "customer_create", kind: "customer" as const, id: idOf(subscription, "customer", "id") }] : []),
      { event: "signup_failure", kind: "subscription", id: String(subscription.id), record: subscription },
    ],
    events: (call) => [
      // A subscription that brought its own customer (customer_attributes) created that customer first.
      ...(isObject(sent(call, "subscription").customer_attributes) ? [{ event: "customer_create", kind: "customer" as const, id: idOf(call.reply.body, "subscription", "customer", "id") }] : []),
      { event: "signup_success", kind: "subscription", id: idOf(call.reply.body, "subscription", "id") },
      // An import synced to a future next_billing_at: its billing date was set, and nothing was paid.
      ...(importedUntil(sent(call, "subscription"), new Date(String(field(call.reply.body, "subscription", "created_at")))) ? [{ event: "billing_date_change", kind: "subscription" as const, id: idOf(call.reply.body, "subscription", "id") }] : []),
      ...paymentEvent(call, idOf(call.reply.body, "subscription", "id")),
    ],
  },
  signupWithSubscriptionGroup: {
    status: 201,
    events: (call) => {
      const ids = field(call.reply.body, "subscription_ids");
      return [
        ...(isObject(sent(call, "subscription_group").payer_attributes) ? [{ event: "customer_create", kind: "customer" as const, id: idOf(call.reply.body, "customer_id") }] : []),
        ...(Array.isArray(ids) ? ids : []).map((id) => ({ event: "signup_success", kind: "subscription" as const, id: String(id) })),
      ];
    },
  },
  updateSubscription: {
    status: 200,
    before: "subscription",
    events: (call) => {
      const changes = sent(call, "subscription");
      const events: EmittedEvent[] = [];
      if (productChanged(call)) events.push({ event: "subscription_product_change", kind: "subscription", id: call.path.subscription_id!, context: previousProduct(call) });
      if (changes.next_billing_at !== undefined) events.push({ event: "billing_date_change", kind: "subscription", id: call.path.subscription_id! });
      if (changes.expires_at !== undefined && changes.expires_at !== field(call.before, "expires_at")) events.push({ event: "expiration_date_change", kind: "subscription", id: call.path.subscription_id! });
      if (changes.credit_card_attributes !== undefined || changes.payment_profile_id !== undefined) events.push({ event: "subscription_card_update", kind: "subscription", id: call.path.subscription_id! });
      if (changes.cancel_at_end_of_period !== undefined) events.push({ event: "pending_cancellation_change", kind: "subscription", id: call.path.subscription_id! });
      return events;
    },
  },
  cancelSubscription: { status: 200, events: subscriptionEvent("subscription_state_change") },
  reactivateSubscription: {
    status: 200,
    // The card refused the new period's charge: the subscription stays as it was, the failed payment is sent.
    refused: (call, transaction) => [{ event: "payment_failure", kind: "subscription", id: call.path.subscription_id!, context: { transaction } }],
    events: (call) => [...subscriptionEvent("subscription_state_change")(call), ...paymentEvent(call, call.path.subscription_id!)],
  },
  initiateDelayedCancellation: { status: 200, events: subscriptionEvent("pending_cancellation_change") },
  cancelDelayedCancellation: { status: 200, events: subscriptionEvent("pending_cancellation_change") },
  migrateSubscriptionProduct: {
    status: 200,
    before: "subscription",
    // The new product's payment refused: the subscription stays on its product; the payload names the one it was to move to.
    refused: (call, { transaction, product }) => [
      { event: "upgrade_downgrade_failure", kind: "subscription", id: call.path.subscription_id!, context: { product } },
      { event: "payment_failure", kind: "subscription", id: call.path.subscription_id!, context: { transaction } },
    ],
    events: (call) => [
      ...(productChanged(call) ? [{ event: "upgrade_downgrade_success", kind: "subscription" as const, id: call.path.subscription_id!, context: previousProduct(call) }] : []),
      ...paymentEvent(call, call.path.subscription_id!),
    ],
  },
  // A charge captured now is a payment; one that waits for the renewal (delay_capture) is not yet.
  createSubscriptionCharge: {
    status: 201,
    refused: (_call, payment) => [{ event: "payment_failure", kind: "transaction", id: String(payment.id) }],
    events: (call) => (field(call.reply.body, "charge", "payment_id") == null ? [] : [{ event: "payment_success", kind: "transaction", id: idOf(call.reply.body, "charge", "id") }]),
  },
  refundSubscriptionPayment: {
    status: 200,
    // The gateway refused the refund: the failed refund, which made no refund (no refund_id).
    refused: (_call, refund) => [{ event: "refund_failure", kind: "transaction", id: String(refund.id), context: { refund_id: null } }],
    events: (call) => [{ event: "refund_success", kind: "transaction", id: idOf(call.reply.body, "refund", "id") }],
  },
  changeSubscriptionDefaultPaymentProfile: { status: 201, events: subscriptionEvent("subscription_card_update") },
  changeSubscriptionGroupDefaultPaymentProfile: { status: 201, events: (call) => [{ event: "subscription_group_card_update", kind: "subscription_group", id: call.path.uid! }] },
};

/** The events a call emits: its rule's, when it answered the rule's status or was refused with what it refused. */
export function eventsOf(operationId: string, call: AnsweredCall): EmittedEvent[] {
  const rule = eventRules[operationId];
  if (!rule) return [];
  if (rule.status === call.reply.status) return rule.events(call);
  return call.reply.refused && rule.refused ? rule.refused(call, call.reply.refused) : [];
}

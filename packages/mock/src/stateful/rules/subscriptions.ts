/**
 * Subscriptions, as the guide manages them: sign-up (product, customer and payment method by id,
 * reference or attributes), cancellation now or at the end of the period, delayed cancellation and
 * its undo, reactivation, coupons, product migrations and changes, a new billing date, and the money
 * operations that move `balance_in_cents` (charges, adjustments) or record refunds.
 */
import { randomBytes } from "node:crypto";
import { iso, type Call, type Reply } from "../call.js";
import { find, newId, template } from "../crud.js";
import { coerce, isObject, writableFields } from "../schema.js";
import type { StoredRecord } from "../store.js";
import { createCustomerRecord } from "./customers.js";
import { couponByCode, couponFields, discounted, usesAllowed, usesOf } from "./discounts.js";
import { declined, payingProfile, testGateway } from "./gateway.js";
import { buildProfile } from "./payment-profiles.js";
import { paymentMemo, paymentTransaction, periodPrice } from "./periods.js";

/** States a subscription can be reactivated from (the API's own 422 names them). */
const reactivatable = new Set(["canceled", "unpaid", "trial_ended"]);

/** `date` moved on by the product's interval (`1 month`, `1 year`, `7 day`). */
export function addInterval(date: Date, product: StoredRecord | undefined): Date {
  const next = new Date(date);
  const count = Number(product?.interval ?? 1);
  const unit = String(product?.interval_unit ?? "month");
  if (unit === "day") next.setUTCDate(next.getUTCDate() + count);
  else if (unit === "week") next.setUTCDate(next.getUTCDate() + 7 * count);
  else if (unit === "year") next.setUTCFullYear(next.getUTCFullYear() + count);
  else next.setUTCMonth(next.getUTCMonth() + count);
  return next;
}

/** Dollars (`"4.00"`) or cents (`400`, `"-400"`) as cents. */
function cents(sent: Record<string, unknown>): number | undefined {
  if (sent.amount_in_cents !== undefined) return Math.round(Number(sent.amount_in_cents));
  if (sent.amount !== undefined) return Math.round(Number(sent.amount) * 100);
  return undefined;
}

/**
 * The product a request names: by id, handle or price point (id or handle). A `custom_price` alone
 * prices the site's first product; with a product, it prices that one.
 */
export async function productFor(call: Call, sent: Record<string, unknown>): Promise<StoredRecord | undefined> {
  const products = await call.store.list("product");
  let product: StoredRecord | undefined;
  if (sent.product_id !== undefined) product = products.find((p) => String(p.id) === String(sent.product_id));
  else if (sent.product_handle !== undefined) product = products.find((p) => p.handle === sent.product_handle);
  else if (sent.product_price_point_id !== undefined) product = products.find((p) => String(p.product_price_point_id) === String(sent.product_price_point_id));
  else if (sent.product_price_point_handle !== undefined) product = products.find((p) => p.product_price_point_handle === sent.product_price_point_handle);
  else if (isObject(sent.custom_price)) product = products[0];
  if (!product || !isObject(sent.custom_price)) return product;
  const custom = sent.custom_price;
  const whole = (value: unknown, fallback: unknown) => (value === undefined || Number.isNaN(Number(value)) ? fallback : Math.round(Number(value)));
  return {
    ...product,
    price_in_cents: whole(custom.price_in_cents, product.price_in_cents),
    interval: whole(custom.interval, product.interval),
    interval_unit: typeof custom.interval_unit === "string" ? custom.interval_unit : product.interval_unit,
  };
}

/** The trial a product starts with, if it has one: its end, from `start`. */
function trialEnd(start: Date, product: StoredRecord): Date | undefined {
  if (product.trial_interval == null || Number(product.trial_interval) <= 0) return undefined;
  return addInterval(start, { interval: product.trial_interval, interval_unit: product.trial_interval_unit ?? "month" });
}

/** The customer's payment method on file, newest first: what a signup without one is charged to. */
async function profileOnFile(call: Call, customerId: unknown): Promise<StoredRecord | undefined> {
  const profiles = await call.store.list("payment_profile", { field: "customer_id", value: String(customerId) });
  return profiles.filter((p) => p.payment_type === "credit_card" || p.payment_type === "bank_account").at(-1);
}

/** A card number (sent whole) the Test Gateway refuses outright: 3, or ending in 3. */
const refusedNumber = (attributes: unknown) => isObject(attributes) && typeof attributes.full_number === "string" && /3\s*$/.test(attributes.full_number);

/** The product's fields a subscription repeats. */
const productFields = (product: StoredRecord) => ({
  product,
  product_price_in_cents: product.price_in_cents,
  product_version_number: product.version_number,
  product_price_point_id: product.product_price_point_id,
});

async function subscriptionOr404(call: Call) {
  return find(call, "subscription", call.path.subscription_id);
}

async function save(call: Call, subscription: StoredRecord, changes: StoredRecord): Promise<StoredRecord> {
  const saved: StoredRecord = { ...subscription, ...changes, updated_at: call.nowIso };
  await call.store.put("subscription", String(saved.id), saved);
  return saved;
}

/** The coupons of `codes` that can still be applied, or the first code with none (unknown or archived). */
async function coupons(call: Call, codes: string[]): Promise<{ found: StoredRecord[]; missing?: string }> {
  const found: StoredRecord[] = [];
  for (const code of codes) {
    const coupon = await couponByCode(call.store, code);
    if (!coupon || coupon.archived_at != null) return { found, missing: code };
    found.push(coupon);
  }
  return { found };
}

export async function createSubscription(call: Call): Promise<Reply> {
  const sent = call.sent("subscription");
  const product = await productFor(call, sent);
  if (!product) return call.example(422, "unknownProduct");
  if (sent.next_billing_at !== undefined && sent.cancel_at_end_of_period !== undefined && coerce({ type: "boolean" }, sent.cancel_at_end_of_period) === true) {
    return call.example(422, "cancelWithNextBilling");
  }
  let customer =
    sent.customer_id !== undefined
      ? await call.store.get("customer", call.key("customer", String(sent.customer_id)))
      : sent.customer_reference !== undefined
        ? (await call.store.list("customer", { field: "reference", value: String(sent.customer_reference) }))[0]
        : undefined;
  if (!customer && isObject(sent.customer_attributes)) customer = await createCustomerRecord(call, sent.customer_attributes);
  if (!customer) return call.errors(422, "Customer: must be an existing customer, or give customer_attributes.");

  const codes = [...(Array.isArray(sent.coupon_codes) ? sent.coupon_codes.map(String) : []), ...(sent.coupon_code ? [String(sent.coupon_code)] : [])];
  const { missing } = await coupons(call, codes);
  if (missing) return call.errors(422, `Coupon code could not be found: ${missing}.`);

  let profile: StoredRecord | undefined;
  const parts = { sent, product, customer, codes };
  if (refusedNumber(sent.credit_card_attributes)) {
    return refusedSignup(call, { ...parts, profile: await buildProfile(call, Number(customer.id), sent.credit_card_attributes as Record<string, unknown>, "credit_card", { save: false }) });
  }
  if (sent.payment_profile_id !== undefined) {
    profile = await call.store.get("payment_profile", String(sent.payment_profile_id));
    if (!profile || profile.customer_id !== customer.id) return call.errors(422, "Payment profile: must belong to the subscription's customer.");
    if (!testGateway(profile).authorizes) return refusedSignup(call, { ...parts, profile });
  } else if (isObject(sent.credit_card_attributes)) {
    profile = await buildProfile(call, Number(customer.id), sent.credit_card_attributes, "credit_card");
  } else if (isObject(sent.bank_account_attributes)) {
    profile = await buildProfile(call, Number(customer.id), sent.bank_account_attributes, "bank_account");
  }
  const automatic = (sent.payment_collection_method ?? "automatic") === "automatic";
  if (!profile && automatic && product.require_credit_card === true) {
    profile = await profileOnFile(call, customer.id);
    if (!profile) return call.example(422, "cardRequired");
    if (!testGateway(profile).authorizes) return refusedSignup(call, { ...parts, profile });
  }
  const subscription = await subscribe(call, { ...parts, profile });
  // Paid now: the first period (or the trial's price), when the card takes payments.
  const paid = Number(subscription.total_revenue_in_cents ?? 0);
  const payment = automatic && profile && paid > 0 && testGateway(profile).pays ? takenPayment(call, subscription, paid, 0, "Signup payment") : {};
  return { ...(await call.answer("subscription", subscription)), ...payment };
}

/** The payment a call took (`amount`, leaving `balance`), for its payment_success webhook. */
function takenPayment(call: Call, subscription: StoredRecord, amount: number, balance: number, what: string): Pick<Reply, "payment"> {
  const attempt = { amount, success: true, memo: paymentMemo(subscription, what, true), balanceBefore: balance + amount, balanceAfter: balance };
  return { payment: () => paymentTransaction({ store: call.store, atIso: call.nowIso }, subscription, attempt) };
}

/** What a signup is made of: its product, customer, payment profile and coupons, already found. */
interface Signup {
  sent: Record<string, unknown>;
  product: StoredRecord;
  customer: StoredRecord;
  profile?: StoredRecord | undefined;
  codes: string[];
}

/**
 * The gateway refused the signup's card: the API's 422, and the subscription as it was refused
 * (`failed_to_create`, an id of its own, nothing paid) for the signup_failure webhook. Nothing is
 * stored but what the call made before the gateway answered (a customer from customer_attributes).
 */
async function refusedSignup(call: Call, signup: Signup): Promise<Reply> {
  const record = await subscriptionRecord(call, signup);
  Object.assign(record, { state: "failed_to_create", previous_state: "failed_to_create", total_revenue_in_cents: 0, activated_at: null });
  return { ...call.example(422, "gatewayDeclined"), refused: record };
}

/** Stores a new active subscription, its first charge discounted by its coupons. */
export async function subscribe(call: Call, signup: Signup): Promise<StoredRecord> {
  const record = await subscriptionRecord(call, signup);
  const charge = await discounted(call.store, record, Number(record.total_revenue_in_cents ?? 0));
  Object.assign(record, { total_revenue_in_cents: charge.price }, await charge.use());
  await call.store.put("subscription", String(record.id), record);
  return record;
}

/**
 * Whether a signup is an import synced to its renewal schedule: a `next_billing_at` in the future
 * means no trial and no charge now; the first payment is taken then (the official Create
 * Subscription's `next_billing_at`). One in the past is no schedule: the signup bills now.
 */
export function importedUntil(sent: Record<string, unknown>, now: Date): string | undefined {
  return typeof sent.next_billing_at === "string" && Date.parse(sent.next_billing_at) > now.getTime() ? sent.next_billing_at : undefined;
}

/** A new subscription, active (or trialing) from now, with a fresh id; not stored. */
async function subscriptionRecord(call: Call, { sent, product, customer, profile, codes }: Signup): Promise<StoredRecord> {
  const imported = importedUntil(sent, call.now);
  // An import's previous_billing_at in the past starts its current period (and its activation, unless sent).
  const previous = imported && typeof sent.previous_billing_at === "string" && Date.parse(sent.previous_billing_at) < call.now.getTime() ? new Date(sent.previous_billing_at) : undefined;
  const start = previous ?? call.now;
  const trialEnds = imported ? undefined : trialEnd(start, product);
  const periodEnds = imported ?? iso(trialEnds ?? addInterval(start, product));
  // Left out rather than deleted: a record with deleted keys is slow to copy, and renewals copy it.
  const { credit_card: _card, bank_account: _bank, coupons: _coupons, ...record } = template(call, "subscription");
  const scalars = Object.fromEntries(Object.entries(sent).filter(([, value]) => !isObject(value)));
  Object.assign(record, writableFields(call.universe.schemaOf("subscription"), scalars));
  const automatic = (sent.payment_collection_method ?? "automatic") === "automatic";
  Object.assign(record, productFields(product), {
    id: await newId(call, "subscription"),
    state: trialEnds ? "trialing" : "active",
    previous_state: trialEnds ? "trialing" : "active",
    customer,
    balance_in_cents: 0,
    total_revenue_in_cents: automatic && !imported ? Number((trialEnds ? product.trial_price_in_cents : product.price_in_cents) ?? 0) : 0,
    trial_started_at: trialEnds ? iso(start) : null,
    trial_ended_at: trialEnds ? iso(trialEnds) : null,
    current_period_started_at: iso(start),
    current_period_ends_at: periodEnds,
    next_assessment_at: periodEnds,
    activated_at: imported && typeof sent.activated_at === "string" && Number.isFinite(Date.parse(sent.activated_at)) ? sent.activated_at : iso(start),
    created_at: iso(call.now),
    updated_at: iso(call.now),
    cancel_at_end_of_period: false,
    coupon_code: codes[0] ?? null,
    coupon_codes: codes,
    // Counted by subscribe() once the first charge is known (a free trial uses no coupon).
    coupon_use_count: codes.length > 0 ? 0 : null,
    coupon_uses_allowed: null,
    payment_collection_method: sent.payment_collection_method ?? "automatic",
    payment_type: profile ? profile.payment_type : null,
  });
  if (profile) record[profile.payment_type === "bank_account" ? "bank_account" : "credit_card"] = profile;
  return record;
}

export async function readSubscription(call: Call): Promise<Reply> {
  const subscription = await subscriptionOr404(call);
  if (!subscription) return call.notFound();
  if (!call.params("include[]").includes("coupons")) return call.answer("subscription", subscription);
  const included = [];
  for (const code of (subscription.coupon_codes as string[] | undefined) ?? []) {
    const coupon = await couponByCode(call.store, code);
    if (!coupon) continue;
    included.push({
      code,
      use_count: await usesOf(call.store, subscription, code),
      uses_allowed: usesAllowed(coupon),
      expires_at: coupon.end_date ?? null,
      recurring: coerce({ type: "boolean" }, coupon.recurring) === true,
      amount_in_cents: coupon.amount_in_cents ?? null,
      percentage: coupon.percentage ?? null,
    });
  }
  return call.answer("subscription", { ...subscription, coupons: included });
}

export async function updateSubscription(call: Call): Promise<Reply> {
  const subscription = await subscriptionOr404(call);
  if (!subscription) return call.notFound();
  const sent = call.sent("subscription");
  const changes: StoredRecord = {};
  if (typeof sent.next_billing_at === "string") {
    if (Date.parse(sent.next_billing_at) <= call.now.getTime()) return call.example(422, "pastDate");
    changes.next_assessment_at = sent.next_billing_at;
    changes.current_period_ends_at = sent.next_billing_at;
  }
  if (isObject(sent.credit_card_attributes)) {
    // The gateway checks a new card: one that fails every authorization (the Test Gateway's 3) is refused, and nothing changes.
    if (refusedNumber(sent.credit_card_attributes)) return call.example(422, "cardRefused");
    changes.credit_card = await buildProfile(call, Number((subscription.customer as StoredRecord).id), sent.credit_card_attributes, "credit_card");
    changes.payment_type = "credit_card";
  }
  if (sent.product_handle !== undefined || sent.product_id !== undefined) {
    const product = await productFor(call, sent);
    if (!product) return call.errors(422, "Product must be among the Products for this Site");
    const delayed = coerce({ type: "boolean" }, sent.product_change_delayed) === true;
    Object.assign(changes, delayed ? { next_product_id: product.id, next_product_handle: product.handle } : productFields(product));
  }
  // A fixed term's end, moved or set (the expiry rule ends it then): written as sent, as next_billing_at is.
  if (typeof sent.expires_at === "string") changes.expires_at = sent.expires_at;
  const { reference, snap_day, payment_collection_method, net_terms } = sent;
  Object.assign(changes, writableFields(call.universe.schemaOf("subscription"), { reference, snap_day, payment_collection_method, net_terms }));
  return call.answer("subscription", await save(call, subscription, changes));
}

/** The cancellation fields of a request (`{"subscription": {"cancellation_message": ...}}`). */
function cancellation(call: Call) {
  const sent = call.sent("subscription");
  return {
    cancellation_message: sent.cancellation_message ?? null,
    reason_code: sent.reason_code ?? null,
    atEnd: coerce({ type: "boolean" }, sent.cancel_at_end_of_period) === true,
  };
}

export async function cancelSubscription(call: Call): Promise<Reply> {
  const subscription = await subscriptionOr404(call);
  if (!subscription) return call.notFound();
  if (subscription.state === "canceled") return call.example(422, "alreadyCanceled");
  const { atEnd, ...why } = cancellation(call);
  const changes: StoredRecord = atEnd
    ? { ...why, cancel_at_end_of_period: true, delayed_cancel_at: subscription.current_period_ends_at, scheduled_cancellation_at: subscription.current_period_ends_at }
    : {
        ...why,
        state: "canceled",
        previous_state: subscription.state,
        canceled_at: call.nowIso,
        cancellation_method: "merchant_api",
        cancel_at_end_of_period: false,
        delayed_cancel_at: null,
        scheduled_cancellation_at: null,
        next_assessment_at: null,
      };
  return call.answer("subscription", await save(call, subscription, changes));
}

export async function initiateDelayedCancellation(call: Call): Promise<Reply> {
  const subscription = await subscriptionOr404(call);
  if (!subscription) return call.notFound();
  if (subscription.state === "canceled") return call.example(422, "alreadyCanceled");
  const { atEnd: _, ...why } = cancellation(call);
  await save(call, subscription, { ...why, cancel_at_end_of_period: true, delayed_cancel_at: subscription.current_period_ends_at });
  return call.example(200);
}

export async function cancelDelayedCancellation(call: Call): Promise<Reply> {
  const subscription = await subscriptionOr404(call);
  if (!subscription) return call.notFound();
  await save(call, subscription, { cancel_at_end_of_period: false, delayed_cancel_at: null, scheduled_cancellation_at: null, cancellation_message: null, reason_code: null });
  return call.example(200);
}

export async function reactivateSubscription(call: Call): Promise<Reply> {
  const subscription = await subscriptionOr404(call);
  if (!subscription) return call.notFound();
  if (!reactivatable.has(String(subscription.state))) return call.example(422, "notCanceled");
  const sent = isObject(call.body) ? call.body : {};
  const product = subscription.product as StoredRecord | undefined;
  // include_trial: a new trial, when the product has one, in place of a paid period.
  const trialEnds = coerce({ type: "boolean" }, sent.include_trial) === true && product ? trialEnd(call.now, product) : undefined;
  const periodEnds = iso(trialEnds ?? addInterval(call.now, product));
  const changes: StoredRecord = {
    state: trialEnds ? "trialing" : "active",
    ...(trialEnds ? { trial_started_at: call.nowIso, trial_ended_at: periodEnds } : {}),
    previous_state: subscription.state,
    canceled_at: null,
    cancellation_message: null,
    cancellation_method: null,
    reason_code: null,
    cancel_at_end_of_period: false,
    delayed_cancel_at: null,
    current_period_started_at: call.nowIso,
    current_period_ends_at: periodEnds,
    next_assessment_at: periodEnds,
    ...(coerce({ type: "boolean" }, sent.preserve_balance) === true ? {} : { balance_in_cents: 0 }),
  };
  if (typeof sent.coupon_code === "string") {
    const { missing } = await coupons(call, [sent.coupon_code]);
    if (missing) return call.errors(422, `Coupon code could not be found: ${missing}.`);
    const codes = [...new Set([...((subscription.coupon_codes as string[]) ?? []), sent.coupon_code])];
    Object.assign(changes, { coupon_code: codes[0], coupon_codes: codes }, await couponFields(call.store, subscription, codes));
  }
  // The new period (or a new trial's price) is charged now, unless calendar billing delays the
  // charge to the next billing date; a card that takes no payment refuses the reactivation.
  const delayed = isObject(sent.calendar_billing) && sent.calendar_billing.reactivation_charge === "delayed";
  const price = delayed ? 0 : trialEnds ? Number(product?.trial_price_in_cents ?? 0) : periodPrice(subscription, product);
  return saveCharged(call, subscription, changes, price, "Reactivation payment", (transaction) => ({ ...call.example(422, "cardDeclined"), refused: transaction }));
}

/**
 * Saves a change that is paid for now: `price`, less the coupons (discounts.ts), charged to the
 * subscription's own card on automatic collection (with nothing to charge, or no card, the change
 * is saved as it is). Paid, the revenue grows, the coupons count the use, and the payment goes out
 * as payment_success; a card that takes no payment saves nothing, and `refuse` answers with the
 * failed payment's transaction.
 */
async function saveCharged(call: Call, subscription: StoredRecord, changes: StoredRecord, fullPrice: number, what: string, refuse: (transaction: StoredRecord) => Reply): Promise<Reply> {
  const automatic = (subscription.payment_collection_method ?? "automatic") === "automatic";
  const charge = await discounted(call.store, { ...subscription, ...changes }, automatic ? fullPrice : 0);
  const price = charge.price;
  const profile = automatic && price > 0 ? await payingProfile(call.store, subscription) : undefined;
  if (profile && !testGateway(profile).pays) {
    const balance = Number(subscription.balance_in_cents ?? 0);
    const attempt = { amount: price, success: false, memo: paymentMemo({ ...subscription, ...changes }, what, false), balanceBefore: balance, balanceAfter: balance };
    return refuse(await paymentTransaction({ store: call.store, atIso: call.nowIso }, subscription, attempt));
  }
  if (!profile) {
    // Nothing charged: only a charge the coupons took whole used them.
    const used = price === 0 && charge.applied.length > 0 ? await charge.use() : {};
    return call.answer("subscription", await save(call, subscription, { ...changes, ...used }));
  }
  const saved = await save(call, subscription, { ...changes, ...(await charge.use()), total_revenue_in_cents: Number(subscription.total_revenue_in_cents ?? 0) + price });
  return { ...(await call.answer("subscription", saved)), ...takenPayment(call, saved, price, Number(saved.balance_in_cents ?? 0), what) };
}

export async function applyCouponsToSubscription(call: Call): Promise<Reply> {
  const subscription = await subscriptionOr404(call);
  if (!subscription) return call.notFound();
  if (subscription.state === "canceled") return call.example(422, "canceled");
  const sent = isObject(call.body) ? call.body : {};
  const wanted = Array.isArray(sent.codes) ? sent.codes.map(String) : call.params("code");
  const { found, missing } = await coupons(call, wanted);
  if (missing) return call.example(422, "unknownCode");
  const current = (subscription.coupon_codes as string[] | undefined) ?? [];
  const { found: held } = await coupons(call, current);
  const all = [...held, ...found.filter((c) => !current.includes(String(c.code)))];
  const loner = all.length > 1 ? all.find((c) => c.stackable === false) : undefined;
  if (loner) {
    const other = all.find((c) => c !== loner)!;
    return call.example(422, "notStackable", () => ({ codes: [`Coupon ${loner.code} cannot be stacked with ${other.code}`] }));
  }
  const codes = all.map((c) => String(c.code));
  return call.answer("subscription", await save(call, subscription, { coupon_code: codes[0] ?? null, coupon_codes: codes, ...(await couponFields(call.store, subscription, codes)) }));
}

/**
 * A migration, as the official document describes its options: by default the period starts again
 * now and the new product's full price is charged (`preserve_period: false`); with `preserve_period`
 * the period stays and nothing is charged now (the mock's site does not prorate); `include_trial`
 * starts the new product's trial instead (ignored with `preserve_period`); coupons carry over unless
 * `include_coupons: false`. A card that takes no payment refuses the migration, and the subscription
 * stays on its product.
 */
export async function migrateSubscriptionProduct(call: Call): Promise<Reply> {
  const subscription = await subscriptionOr404(call);
  if (!subscription) return call.notFound();
  if (subscription.state === "canceled") return call.example(422, "canceled");
  const sent = call.sent("migration");
  const product = await productFor(call, sent);
  if (!product) return call.example(422, "unknownProduct");
  const flag = (value: unknown) => coerce({ type: "boolean" }, value);
  const changes: StoredRecord = productFields(product);
  if (flag(sent.include_coupons) === false) Object.assign(changes, { coupon_code: null, coupon_codes: [], coupon_use_count: null, coupon_uses_allowed: null });
  const proration = isObject(sent.proration) ? sent.proration : {};
  if (flag(sent.preserve_period) === true || flag(proration.preserve_period) === true) return call.answer("subscription", await save(call, subscription, changes));
  const trialEnds = flag(sent.include_trial) === true ? trialEnd(call.now, product) : undefined;
  const periodEnds = iso(trialEnds ?? addInterval(call.now, product));
  Object.assign(changes, { current_period_started_at: call.nowIso, current_period_ends_at: periodEnds, next_assessment_at: periodEnds });
  if (trialEnds) Object.assign(changes, { state: "trialing", previous_state: subscription.state, trial_started_at: call.nowIso, trial_ended_at: periodEnds });
  const price = trialEnds ? Number(product.trial_price_in_cents ?? 0) : Number(product.price_in_cents ?? 0);
  return saveCharged(call, subscription, changes, price, "Product change payment", (transaction) => ({ ...call.errors(422, declined), refused: { transaction, product } }));
}

/**
 * An amount the API's 64-bit cents cannot hold exactly (`"amount": 1e30` is a valid number in the
 * request, but no balance): refused as the API refuses an amount it cannot read.
 */
const beyondCents = (cents: number) => !Number.isSafeInteger(Math.round(cents));

/**
 * A charge, an adjustment or a refund, as the operation's own example shows one, for this
 * subscription: the example is the template of every field the request does not decide.
 */
async function transaction(call: Call, wrapper: string, subscription: StoredRecord, fields: StoredRecord): Promise<StoredRecord> {
  const example = call.example(call.successStatus).body as Record<string, StoredRecord>;
  const record = {
    ...example[wrapper]!,
    id: await newId(call, "transaction"),
    subscription_id: subscription.id,
    customer_id: (subscription.customer as StoredRecord).id,
    product_id: (subscription.product as StoredRecord).id,
    created_at: call.nowIso,
    ...fields,
  };
  await call.store.put("transaction", String(record.id), record);
  return record;
}

export async function createSubscriptionCharge(call: Call): Promise<Reply> {
  const subscription = await subscriptionOr404(call);
  if (!subscription) return call.notFound();
  if (subscription.state === "canceled") return call.example(422, "notEligible");
  const sent = call.sent("charge");
  const amount = cents(sent);
  if (amount === undefined || Number.isNaN(amount) || beyondCents(amount)) return call.errors(422, "Amount: is not a number.");
  const flag = (name: string) => coerce({ type: "boolean" }, sent[name]) === true;
  // A delayed capture waits for the next renewal on the balance; any other charge is paid now.
  const accrued = flag("delay_capture");
  const starting = Number(subscription.balance_in_cents ?? 0);
  // The gateway is asked now only for a charge collected automatically, on a subscription that is.
  const automatic = (sent.payment_collection_method ?? "automatic") === "automatic" && (subscription.payment_collection_method ?? "automatic") === "automatic";
  if (!accrued && automatic) {
    const profile = await payingProfile(call.store, subscription);
    if (profile && !testGateway(profile).pays) return declinedCharge(call, subscription, { amount, memo: sent.memo, starting, accrue: flag("accrue_on_failure"), card: profile });
  }
  const paymentId = accrued ? null : Number(await newId(call, "transaction"));
  const charge = await transaction(call, "charge", subscription, {
    amount_in_cents: amount,
    original_amount_in_cents: amount,
    memo: sent.memo ?? null,
    // The service period the charge is for, as sent (the API keeps it on the line).
    period_range_start: sent.period_range_start ?? null,
    period_range_end: sent.period_range_end ?? null,
    starting_balance_in_cents: starting,
    ending_balance_in_cents: accrued ? starting + amount : starting,
    payment_id: paymentId,
    gateway_transaction_id: accrued ? null : randomBytes(3).readUIntBE(0, 3).toString(),
    item_name: (subscription.product as StoredRecord).name ?? null,
  });
  if (paymentId !== null) await call.store.put("payment", String(paymentId), { id: paymentId, subscription_id: subscription.id, amount_in_cents: amount });
  await save(call, subscription, accrued ? { balance_in_cents: starting + amount } : { total_revenue_in_cents: Number(subscription.total_revenue_in_cents ?? 0) + amount });
  return call.ok({ charge });
}

/**
 * The gateway declined a charge's payment (the Test Gateway's card 2 or 3): the API's 422, the failed
 * payment recorded (its payment_failure webhook), and the charge on the balance only with
 * `accrue_on_failure`.
 */
async function declinedCharge(
  call: Call,
  subscription: StoredRecord,
  { amount, memo, starting, accrue, card }: { amount: number; memo: unknown; starting: number; accrue: boolean; card: StoredRecord },
): Promise<Reply> {
  const ending = accrue ? starting + amount : starting;
  const payment = await transaction(call, "charge", subscription, {
    success: false,
    amount_in_cents: amount,
    original_amount_in_cents: amount,
    memo: `${String(memo ?? "")} (declined: ${declined})`.trim(),
    starting_balance_in_cents: starting,
    ending_balance_in_cents: ending,
    payment_id: null,
    gateway_used: "bogus",
    gateway_transaction_id: null,
    card_number: card.masked_card_number ?? null,
    card_type: card.card_type ?? null,
    item_name: (subscription.product as StoredRecord).name ?? null,
  });
  if (accrue) await save(call, subscription, { balance_in_cents: ending });
  return { ...call.example(422, "declined"), refused: payment };
}

export async function createSubscriptionAdjustment(call: Call): Promise<Reply> {
  const subscription = await subscriptionOr404(call);
  if (!subscription) return call.notFound();
  const sent = call.sent("adjustment");
  const amount = cents(sent);
  if (amount === undefined || Number.isNaN(amount) || beyondCents(amount)) return call.example(422, "notANumber");
  const starting = Number(subscription.balance_in_cents ?? 0);
  const ending = sent.adjustment_method === "target" ? amount : starting + amount;
  if (beyondCents(ending)) return call.example(422, "notANumber");
  const adjustment = await transaction(call, "adjustment", subscription, {
    amount_in_cents: ending - starting,
    memo: sent.memo ?? null,
    starting_balance_in_cents: starting,
    ending_balance_in_cents: ending,
  });
  await save(call, subscription, { balance_in_cents: ending });
  return call.ok({ adjustment });
}

/**
 * A refund of (part of) a payment. Through the gateway it returns at most what is left of the
 * payment: Chargify's refund guide ("up to the full amount of the original payment"), and the
 * official document's invoice refunds ("must not exceed the remaining refundable balance of the
 * payment"). The payment is known when a charge here took it; for one the namespace does not hold
 * (a signup or renewal payment, an example's), what is left of everything the subscription was
 * paid (its revenue) bounds it. A refund recorded as `external` is not bounded: the money went back
 * outside the API. Either kind counts against the payment it names.
 */
export async function refundSubscriptionPayment(call: Call): Promise<Reply> {
  const subscription = await subscriptionOr404(call);
  if (!subscription) return call.notFound();
  const sent = call.sent("refund");
  const body = isObject(call.body) ? call.body : {};
  const external = coerce({ type: "boolean" }, body.external) === true;
  const amount = cents(sent);
  if (amount === undefined || Number.isNaN(amount) || beyondCents(amount)) return call.errors(422, "Amount: is not a number.");
  if (amount < 0) return call.example(422, "negative");
  const balance = Number(subscription.balance_in_cents ?? 0);
  const paymentId = sent.payment_id === undefined ? null : Number(sent.payment_id);
  const payment = paymentId === null ? undefined : await call.store.get("payment", String(paymentId));
  const paid = payment?.subscription_id === subscription.id ? payment : undefined;
  if (!external) {
    const refundable = paid ? Number(paid.amount_in_cents) - Number(paid.refunded_in_cents ?? 0) : Number(subscription.total_revenue_in_cents ?? 0);
    if (amount > refundable) return call.errors(422, `Amount: must not exceed the remaining refundable balance of the payment (${(Math.max(0, refundable) / 100).toFixed(2)}).`);
  }
  // A refund through the gateway goes back to the subscription's card: one the gateway fails everything
  // for (the Test Gateway's 3) refuses it. The failed refund is recorded and sent as refund_failure.
  const card = external ? undefined : await payingProfile(call.store, subscription);
  if (card && !testGateway(card).authorizes) {
    const failed = await transaction(call, "refund", subscription, {
      success: false,
      amount_in_cents: amount,
      memo: sent.memo ?? null,
      payment_id: paymentId,
      starting_balance_in_cents: balance,
      ending_balance_in_cents: balance,
      kind: null,
      gateway_used: "bogus",
      gateway_transaction_id: null,
    });
    return { ...call.example(422, "gatewayFailed", () => ({ errors: [`${declined} [${String(sent.memo ?? "")}]`] })), refused: failed };
  }
  const refund = await transaction(call, "refund", subscription, {
    amount_in_cents: amount,
    memo: sent.memo ?? null,
    payment_id: paymentId,
    starting_balance_in_cents: balance,
    ending_balance_in_cents: balance,
    ...(external
      ? { kind: "manual", gateway_used: null, gateway_transaction_id: null }
      : { kind: null, gateway_used: "bogus", gateway_transaction_id: randomBytes(3).readUIntBE(0, 3).toString() }),
  });
  if (paid) await call.store.put("payment", String(paid.id), { ...paid, refunded_in_cents: Number(paid.refunded_in_cents ?? 0) + amount });
  await save(call, subscription, { total_revenue_in_cents: Number(subscription.total_revenue_in_cents ?? 0) - amount });
  return call.ok({ refund });
}

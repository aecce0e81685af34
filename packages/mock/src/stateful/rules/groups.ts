/**
 * Subscription groups: one payer and payment profile for several subscriptions, led by a primary
 * one. A subscription is in one group at most; a group with members cannot be deleted; the primary
 * cannot leave while others stay; signing up with a group creates the payer, the profile, the
 * subscriptions and the group together. The API answers a group in three views (read, list,
 * wrapped), all made here from one stored record.
 */
import type { Call, Reply } from "../call.js";
import { find, newId } from "../crud.js";
import { isObject } from "../schema.js";
import type { StoredRecord } from "../store.js";
import { createCustomerRecord, referenceTaken } from "./customers.js";
import { buildProfile } from "./payment-profiles.js";
import { productFor, subscribe } from "./subscriptions.js";

const zeroBalances = () => ({
  prepayments: { balance_in_cents: 0 },
  service_credits: { balance_in_cents: 0 },
  open_invoices: { balance_in_cents: 0 },
  pending_discounts: { balance_in_cents: 0 },
});

/** The fields every view shares. */
function core(group: StoredRecord): StoredRecord {
  const { uid, scheme, customer_id, payment_profile_id, subscription_ids, primary_subscription_id, next_assessment_at, state, cancel_at_end_of_period } = group;
  return { uid, scheme, customer_id, payment_profile_id, subscription_ids, primary_subscription_id, next_assessment_at, state, cancel_at_end_of_period };
}

/** Read and find: the payer's names and the balances; the billing amount only when asked. */
async function fullView(call: Call, group: StoredRecord): Promise<StoredRecord> {
  // The payer as it is now, or as the group last saw it (a deleted customer's group still answers).
  const customer = (await call.store.get("customer", String(group.customer_id))) ?? (group.customer as StoredRecord | undefined) ?? {};
  const view: StoredRecord = {
    ...core(group),
    customer: {
      first_name: customer.first_name ?? "",
      last_name: customer.last_name ?? "",
      organization: customer.organization ?? null,
      email: customer.email ?? "",
      reference: customer.reference ?? null,
    },
    account_balances: group.account_balances ?? zeroBalances(),
  };
  if (call.params("include[]").includes("current_billing_amount_in_cents")) {
    const members = await Promise.all((group.subscription_ids as number[]).map((id) => call.store.get("subscription", String(id))));
    view.current_billing_amount_in_cents = members.reduce((sum, s) => sum + Number(s?.product_price_in_cents ?? 0), 0);
  }
  return view;
}

/** Create, update and add: `{"subscription_group": {...}}` with the payer's profile in short. */
async function wrappedView(call: Call, group: StoredRecord): Promise<Reply> {
  const profile = group.payment_profile_id == null ? undefined : await call.store.get("payment_profile", String(group.payment_profile_id));
  const primary = await call.store.get("subscription", String(group.primary_subscription_id));
  return call.ok({
    subscription_group: {
      uid: group.uid,
      customer_id: group.customer_id,
      payment_profile: profile
        ? { id: profile.id, first_name: profile.first_name ?? null, last_name: profile.last_name ?? null, masked_card_number: profile.masked_card_number ?? null }
        : null,
      payment_collection_method: group.payment_collection_method ?? primary?.payment_collection_method ?? "automatic",
      subscription_ids: group.subscription_ids,
      created_at: group.created_at ?? primary?.created_at ?? call.nowIso,
    },
  });
}

/** The group a subscription is in, if any. */
async function groupOf(call: Call, subscriptionId: number): Promise<StoredRecord | undefined> {
  return (await call.store.list("subscription_group")).find((g) => (g.subscription_ids as number[]).includes(subscriptionId));
}

/** The profile a subscription pays with. */
const profileIdOf = (subscription: StoredRecord) =>
  ((isObject(subscription.credit_card) ? subscription.credit_card : isObject(subscription.bank_account) ? subscription.bank_account : undefined)?.id as number | undefined) ?? null;

/**
 * Writes each subscription's `group` to match the group that lists it (uid, scheme, primary), or
 * null when none does: after every change of membership, so a subscription and its group never
 * disagree (a read, a list and a webhook payload all show the stored record).
 */
async function syncMembers(call: Call, ids: Iterable<unknown>): Promise<void> {
  const groups = await call.store.list("subscription_group");
  for (const id of new Set([...ids].map(Number))) {
    const subscription = await call.store.get("subscription", String(id));
    if (!subscription) continue;
    const group = groups.find((g) => (g.subscription_ids as number[]).includes(id));
    const nested = group ? { uid: group.uid, scheme: group.scheme ?? 1, primary_subscription_id: group.primary_subscription_id ?? null, primary: Number(group.primary_subscription_id) === id } : null;
    if (JSON.stringify(subscription.group ?? null) !== JSON.stringify(nested)) await call.store.put("subscription", String(id), { ...subscription, group: nested });
  }
}

/** A group with members and no primary (its primary left it alone) is led by its first member. */
const led = (group: StoredRecord): StoredRecord =>
  group.primary_subscription_id == null && (group.subscription_ids as number[]).length > 0 ? { ...group, primary_subscription_id: (group.subscription_ids as number[])[0] } : group;

/** Stores a new group led by `primary`, with `members` after it. */
async function newGroup(call: Call, primary: StoredRecord, members: number[], extra: StoredRecord = {}): Promise<StoredRecord> {
  const group: StoredRecord = {
    uid: await newId(call, "subscription_group"),
    scheme: 1,
    customer_id: (primary.customer as StoredRecord).id,
    payment_profile_id: profileIdOf(primary),
    subscription_ids: [...new Set([Number(primary.id), ...members])],
    primary_subscription_id: primary.id,
    next_assessment_at: primary.next_assessment_at ?? null,
    state: "active",
    cancel_at_end_of_period: false,
    payment_collection_method: primary.payment_collection_method ?? "automatic",
    created_at: call.nowIso,
    customer: primary.customer,
    ...extra,
  };
  await call.store.put("subscription_group", String(group.uid), group);
  await syncMembers(call, group.subscription_ids as number[]);
  return group;
}

export async function readSubscriptionGroup(call: Call): Promise<Reply> {
  const group = await find(call, "subscription_group", call.path.uid);
  return group ? call.ok(await fullView(call, group)) : call.notFound();
}

export async function findSubscriptionGroup(call: Call): Promise<Reply> {
  const group = await groupOf(call, Number(call.param("subscription_id")));
  return group ? call.ok(await fullView(call, group)) : call.example(404, "notGrouped");
}

export async function listSubscriptionGroups(call: Call): Promise<Reply> {
  const groups = await call.store.list("subscription_group");
  const page = Number(call.param("page") ?? 1);
  const perPage = Math.min(Number(call.param("per_page") ?? 20), 200);
  const balances = call.params("include[]").includes("account_balances");
  const items = groups.slice((page - 1) * perPage, page * perPage).map((group) => {
    if (!balances) return core(group);
    const { open_invoices: _, ...listed } = (group.account_balances ?? zeroBalances()) as Record<string, unknown>;
    return { ...core(group), account_balances: listed };
  });
  return call.ok({ subscription_groups: items, meta: { current_page: page, total_count: groups.length } });
}

export async function createSubscriptionGroup(call: Call): Promise<Reply> {
  const sent = call.sent("subscription_group");
  const primary = await call.store.get("subscription", String(sent.subscription_id));
  const members = Array.isArray(sent.member_ids) ? sent.member_ids.map(Number) : [];
  const found = await Promise.all(members.map((id) => call.store.get("subscription", String(id))));
  if (!primary || found.some((member) => !member)) return call.example(422, "memberNotFound");
  for (const id of [Number(primary.id), ...members]) if (await groupOf(call, id)) return call.example(422, "alreadyInGroup");
  return wrappedView(call, await newGroup(call, primary, members));
}

export async function updateSubscriptionGroupMembers(call: Call): Promise<Reply> {
  const group = await find(call, "subscription_group", call.path.uid);
  if (!group) return call.notFound();
  const members = (call.sent("subscription_group").member_ids as unknown[] | undefined)?.map(Number) ?? [];
  for (const id of members) {
    const elsewhere = await groupOf(call, id);
    if (!(await call.store.get("subscription", String(id))) || (elsewhere && elsewhere.uid !== group.uid)) {
      return call.example(422, "memberNotFound", () => ({ errors: { members: [{ id, type: "not_found", message: "Subscription could not be found" }] } }));
    }
  }
  // The primary stays, when it is still in the group; the members sent replace the others.
  const primary = (group.subscription_ids as number[]).includes(Number(group.primary_subscription_id)) ? Number(group.primary_subscription_id) : null;
  const updated = led({ ...group, primary_subscription_id: primary, subscription_ids: [...new Set([...(primary == null ? [] : [primary]), ...members])] });
  await call.store.put("subscription_group", String(group.uid), updated);
  await syncMembers(call, [...(group.subscription_ids as number[]), ...(updated.subscription_ids as number[])]);
  return wrappedView(call, updated);
}

export async function deleteSubscriptionGroup(call: Call): Promise<Reply> {
  const group = await find(call, "subscription_group", call.path.uid);
  if (!group) return call.notFound();
  if ((group.subscription_ids as number[]).length > 0) return call.example(422, "hasMembers");
  await call.store.delete("subscription_group", String(group.uid));
  // A customer whose default group it was has none now.
  for (const customer of await call.store.list("customer")) {
    if (customer.default_subscription_group_uid === group.uid) await call.store.put("customer", String(customer.id), { ...customer, default_subscription_group_uid: null });
  }
  return call.ok({ uid: group.uid, deleted: true });
}

export async function addSubscriptionToGroup(call: Call): Promise<Reply> {
  const subscription = await find(call, "subscription", call.path.subscription_id);
  if (!subscription) return call.notFound();
  const customer = subscription.customer as StoredRecord;
  const sent = isObject(call.body) ? call.body.group : undefined;
  const target = isObject(sent) && isObject(sent.target) ? sent.target : { type: "customer", id: customer.id };
  const groups = await call.store.list("subscription_group");
  let group: StoredRecord | undefined;
  if (target.type === "subscription") {
    const other = await call.store.get("subscription", String(target.id));
    if (!other) return call.notFound();
    group = await groupOf(call, Number(other.id));
    if (!group && Number(other.id) !== Number(subscription.id)) group = await newGroup(call, other, []);
  } else if (target.type === "customer" || target.type === "parent" || target.type === "eldest") {
    const payerId = target.type === "customer" ? Number(target.id ?? customer.id) : Number(customer.parent_id ?? customer.id);
    const payer = await call.store.get("customer", String(payerId));
    if (!payer) return call.notFound();
    if (payer.id !== customer.id && payer.id !== customer.parent_id && payer.parent_id !== customer.id) return call.example(422, "otherHierarchy");
    group = groups.find((g) => g.customer_id === payer.id);
  }
  const current = await groupOf(call, Number(subscription.id));
  if (current && current.uid !== group?.uid) {
    // The group it leaves: led by its next member when it was the primary.
    const left = (current.subscription_ids as number[]).filter((id) => id !== Number(subscription.id));
    const primary = Number(current.primary_subscription_id) === Number(subscription.id) ? null : current.primary_subscription_id;
    await call.store.put("subscription_group", String(current.uid), led({ ...current, subscription_ids: left, primary_subscription_id: primary }));
  }
  if (!group) {
    const made = await newGroup(call, subscription, []);
    if (current) await syncMembers(call, current.subscription_ids as number[]);
    return wrappedView(call, made);
  }
  const joined = led({ ...group, subscription_ids: [...new Set([...(group.subscription_ids as number[]), Number(subscription.id)])] });
  await call.store.put("subscription_group", String(group.uid), joined);
  await syncMembers(call, [...((current?.subscription_ids as number[] | undefined) ?? []), ...(joined.subscription_ids as number[])]);
  return wrappedView(call, joined);
}

export async function removeSubscriptionFromGroup(call: Call): Promise<Reply> {
  const subscription = await find(call, "subscription", call.path.subscription_id);
  const group = subscription && (await groupOf(call, Number(subscription.id)));
  if (!subscription || !group) return call.notFound();
  const remaining = (group.subscription_ids as number[]).filter((id) => id !== Number(subscription.id));
  if (group.primary_subscription_id === subscription.id && remaining.length > 0) return call.example(422, "primaryWithOthers");
  const primary = group.primary_subscription_id === subscription.id ? null : group.primary_subscription_id;
  await call.store.put("subscription_group", String(group.uid), { ...group, subscription_ids: remaining, primary_subscription_id: primary });
  await syncMembers(call, [Number(subscription.id), ...remaining]);
  return call.ok();
}

/** An index-keyed signup error: `{"errors": {"subscriptions": {"0": {"product": [...]}}}}`. */
function subscriptionError(call: Call, index: number, field: string, message: string): Reply {
  return call.example(422, "subscriptionErrors", () => ({ errors: { subscriptions: { [String(index)]: { [field]: [message] } } } }));
}

export async function signupWithSubscriptionGroup(call: Call): Promise<Reply> {
  const sent = call.sent("subscription_group");
  const items = (Array.isArray(sent.subscriptions) ? sent.subscriptions : []).filter(isObject);
  const products: StoredRecord[] = [];
  for (const [index, item] of items.entries()) {
    const product = await productFor(call, item);
    if (!product) return subscriptionError(call, index, "product", "must be among the Products for this Site");
    products.push(product);
  }
  const byReference = async (reference: unknown) => (await call.store.list("customer", { field: "reference", value: String(reference) }))[0];
  let payer =
    sent.payer_id !== undefined
      ? await call.store.get("customer", call.key("customer", String(sent.payer_id)))
      : sent.payer_reference !== undefined
        ? await byReference(sent.payer_reference)
        : undefined;
  if (!payer && isObject(sent.payer_attributes)) {
    const reference = sent.payer_attributes.reference;
    if (reference !== undefined && (await byReference(reference))) {
      return call.example(422, "payerErrors", () => ({ errors: { payer: { reference: [referenceTaken] } } }));
    }
    payer = await createCustomerRecord(call, sent.payer_attributes);
  }
  if (!payer) return call.example(422, "payerErrors", () => ({ errors: { payer: { id: ["Customer could not be found"] } } }));

  let profile: StoredRecord | undefined;
  if (sent.payment_profile_id !== undefined) {
    profile = await call.store.get("payment_profile", String(sent.payment_profile_id));
    if (!profile || profile.customer_id !== payer.id) return subscriptionError(call, 0, "payment_profile", "must belong to the payer");
  } else if (isObject(sent.credit_card_attributes)) {
    profile = await buildProfile(call, Number(payer.id), sent.credit_card_attributes, "credit_card");
  } else if (isObject(sent.bank_account_attributes)) {
    profile = await buildProfile(call, Number(payer.id), sent.bank_account_attributes, "bank_account");
  }
  const collection = sent.payment_collection_method ?? "automatic";
  const created: StoredRecord[] = [];
  for (const [index, item] of items.entries()) {
    const fields = { ...item, payment_collection_method: collection };
    created.push(await subscribe(call, { sent: fields, product: products[index]!, customer: payer, profile, codes: item.coupon_code ? [String(item.coupon_code)] : [] }));
  }
  const primaryIndex = Math.max(0, items.findIndex((item) => item.primary === true));
  const primary = created[primaryIndex]!;
  const group = await newGroup(
    call,
    primary,
    created.map((s) => Number(s.id)),
    { payment_profile_id: profile?.id ?? null, payment_collection_method: collection },
  );
  await call.store.put("customer", String(payer.id), { ...payer, default_subscription_group_uid: group.uid });
  return call.ok({
    ...core(group),
    subscriptions: created.map((s) => ({
      id: s.id,
      reference: s.reference ?? null,
      product_id: (s.product as StoredRecord).id,
      product_handle: (s.product as StoredRecord).handle,
      product_price_point_id: s.product_price_point_id ?? null,
      product_price_point_handle: (s.product as StoredRecord).product_price_point_handle ?? null,
      currency: s.currency ?? "USD",
      coupon_code: s.coupon_code ?? null,
      total_revenue_in_cents: s.total_revenue_in_cents,
      balance_in_cents: s.balance_in_cents,
    })),
    payment_collection_method: collection,
  });
}

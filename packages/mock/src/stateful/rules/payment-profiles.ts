/**
 * Payment profiles: what the API stores of the card or bank account it is sent (masked numbers, the
 * card's brand, a one-time token's details), and its refusal to delete a profile that a live
 * subscription or a group still pays with.
 */
import type { Call, Reply } from "../call.js";
import { find, newId, template } from "../crud.js";
import { isObject, writableFields } from "../schema.js";
import type { StoredRecord } from "../store.js";

const lastFour = (text: string) => text.replace(/\D/g, "").slice(-4) || text.slice(-4);

/** The brand a card number shows (test-gateway numbers such as "1" have none). */
function cardType(number: string): string | null {
  if (/^3[47]\d{13}$/.test(number)) return "american_express";
  if (/^4\d{12,18}$/.test(number)) return "visa";
  if (/^(5[1-5]|2[2-7])\d{14}$/.test(number)) return "master";
  if (/^6(011|5)\d{12,15}$/.test(number)) return "discover";
  return null;
}

/** The seed of a payment type: the template of a new profile of that type. */
function seedOf(call: Call, paymentType: string): StoredRecord | undefined {
  return call.universe.seeds.get("payment_profile")?.find((seed) => seed.payment_type === paymentType);
}

/** The documented details of a one-time token (readOneTimeToken's examples), by payment type. */
function tokenDetails(call: Call, paymentType: string): StoredRecord {
  const operation = call.universe.operation("readOneTimeToken");
  const examples = operation?.responses.find((r) => r.code === "200")?.contents?.[0]?.examples ?? [];
  for (const example of examples) {
    const profile = "value" in example && isObject(example.value) ? example.value.payment_profile : undefined;
    if (isObject(profile) && profile.payment_type === paymentType) {
      const { id: _id, customer_id: _customer, ...details } = profile;
      return details;
    }
  }
  return {};
}

/**
 * A new stored profile for `customerId` from the attributes a request sent (a profile body, or a
 * subscription's `credit_card_attributes`/`bank_account_attributes`). With `save: false`, neither
 * stored nor given an id: a card the gateway refused at signup, as its signup_failure webhook shows it.
 */
export async function buildProfile(
  call: Call,
  customerId: number,
  sent: Record<string, unknown>,
  kind?: "credit_card" | "bank_account",
  { save = true }: { save?: boolean } = {},
): Promise<StoredRecord> {
  const text = (name: string) => (sent[name] === undefined || sent[name] === null ? undefined : String(sent[name]));
  const bank = kind === "bank_account" || sent.payment_type === "bank_account" || text("bank_account_number") !== undefined || text("bank_iban") !== undefined;
  const paymentType = bank ? "bank_account" : sent.payment_type === "paypal_account" ? "paypal_account" : "credit_card";
  const profile: StoredRecord = { ...template(call, "payment_profile", seedOf(call, paymentType)), ...writableFields(call.universe.schemaOf("payment_profile"), sent) };
  // An import names the vault's own tokens (the answer's copies are read-only: writableFields skips them).
  for (const token of ["vault_token", "customer_vault_token"]) if (text(token) !== undefined) profile[token] = text(token);
  if (text("chargify_token")) Object.assign(profile, tokenDetails(call, paymentType), paymentType === "credit_card" ? { chargify_token: text("chargify_token") } : {});
  if (paymentType === "credit_card") {
    const number = text("full_number") ?? text("last_four");
    if (number) profile.masked_card_number = `XXXX-XXXX-XXXX-${lastFour(number)}`;
    if (text("full_number")) profile.card_type = cardType(text("full_number")!);
    profile.current_vault = sent.current_vault ?? profile.current_vault ?? "bogus";
    profile.disabled = false;
  }
  if (paymentType === "bank_account") {
    const account = text("bank_account_number") ?? text("bank_iban");
    if (account) profile.masked_bank_account_number = `XXXX${lastFour(account)}`;
    const routing = text("bank_routing_number") ?? text("bank_branch_code");
    if (routing) profile.masked_bank_routing_number = `XXXX${lastFour(routing)}`;
    profile.verified = false;
  }
  const customer = await call.store.get("customer", String(customerId));
  profile.first_name = sent.first_name ?? customer?.first_name ?? null;
  profile.last_name = sent.last_name ?? customer?.last_name ?? null;
  profile.payment_type = paymentType;
  profile.customer_id = customerId;
  profile.created_at = call.nowIso;
  profile.updated_at = call.nowIso;
  if (!save) {
    delete profile.id;
    return profile;
  }
  profile.id = await newId(call, "payment_profile");
  await call.store.put("payment_profile", String(profile.id), profile);
  return profile;
}

export async function createPaymentProfile(call: Call): Promise<Reply> {
  const sent = call.sent("payment_profile");
  const customerId = Number(sent.customer_id);
  if (!(await call.store.get("customer", String(customerId)))) return call.example(404, "customerNotFound");
  return call.answer("payment_profile", await buildProfile(call, customerId, sent));
}

/** A payment type as a refusal names it: "cannot be updated on a bank account payment profile". */
const typeNames: Record<string, string> = { credit_card: "a credit card", bank_account: "a bank account", paypal_account: "a PayPal account", apple_pay: "an Apple Pay" };
const bankFields = ["bank_account_number", "bank_routing_number"];
const cardFields = ["full_number", "card_type", "expiration_month", "expiration_year"];

/**
 * The first field sent that the profile's type does not have ("A Payment Profile cannot be updated
 * with the attributes of another type of Payment Profile", Maxio's guide): bank details on anything
 * but a bank account; card details, or another vault, on anything but a card.
 */
function foreignField(profile: StoredRecord, sent: Record<string, unknown>): string | undefined {
  const type = profile.payment_type;
  const foreign = [...(type === "bank_account" ? [] : bankFields), ...(type === "credit_card" ? [] : cardFields)];
  const field = foreign.find((name) => sent[name] !== undefined);
  if (field) return field;
  if (type !== "credit_card" && sent.current_vault !== undefined && sent.current_vault !== profile.current_vault) return "current_vault";
  return undefined;
}

export async function updatePaymentProfile(call: Call): Promise<Reply> {
  const profile = await find(call, "payment_profile", call.path.payment_profile_id);
  if (!profile) return call.notFound();
  const sent = call.sent("payment_profile");
  const foreign = foreignField(profile, sent);
  // The documented refusal, as the API words it for a card; the same words for the other types.
  if (foreign === "bank_account_number" && profile.payment_type === "credit_card") return call.example(422, "otherPaymentType");
  if (foreign) return { status: 422, body: { errors: { [foreign]: `cannot be updated on ${typeNames[String(profile.payment_type)] ?? "this"} payment profile` } } };
  const number = sent.full_number === undefined ? undefined : String(sent.full_number);
  return call.plain!(number === undefined ? {} : { masked_card_number: `XXXX-XXXX-XXXX-${lastFour(number)}`, card_type: sent.card_type ?? cardType(number) });
}

/** Whether a subscription is charged to the profile (as its `credit_card` or its `bank_account`). */
const paysWith = (subscription: StoredRecord, profileId: unknown) => [subscription.credit_card, subscription.bank_account].some((p) => isObject(p) && p.id === profileId);

/** Whether a subscription that is not canceled, or a group, pays with the profile. */
export async function inUse(call: Call, profileId: number): Promise<boolean> {
  const subscriptions = await call.store.list("subscription");
  const paying = subscriptions.some(
    (s) => s.state !== "canceled" && paysWith(s, profileId),
  );
  return paying || (await call.store.list("subscription_group")).some((g) => g.payment_profile_id === profileId);
}

export async function deleteUnusedPaymentProfile(call: Call): Promise<Reply> {
  const profile = await find(call, "payment_profile", call.path.payment_profile_id);
  if (!profile) return call.notFound();
  if (await inUse(call, Number(profile.id))) return call.example(422, "inUse");
  // A canceled subscription may still name it: it names nothing once the profile is gone (a reactivation asks for another).
  await forget(call, profile);
  return call.ok();
}

/** The subscription and the profile a path names, when the profile is its customer's. */
async function subscriptionAndProfile(call: Call) {
  const subscription = await find(call, "subscription", call.path.subscription_id);
  const profile = await find(call, "payment_profile", call.path.payment_profile_id);
  const mine = subscription && profile && profile.customer_id === (subscription.customer as StoredRecord).id;
  return mine ? { subscription, profile } : undefined;
}

async function groupAndProfile(call: Call) {
  const group = await find(call, "subscription_group", call.path.uid);
  const profile = await find(call, "payment_profile", call.path.payment_profile_id);
  return group && profile ? { group, profile } : undefined;
}

/** Which field of a subscription holds a profile of this type. */
const slotOf = (profile: StoredRecord) => (profile.payment_type === "bank_account" ? "bank_account" : "credit_card");

export async function deleteSubscriptionsPaymentProfile(call: Call): Promise<Reply> {
  const found = await subscriptionAndProfile(call);
  if (!found) return call.notFound();
  await forget(call, found.profile);
  return call.ok();
}

/**
 * Deletes a profile and takes it off every subscription and group that paid with it: "If the
 * customer has multiple subscriptions, the payment profile will be removed from all of them" (the
 * official document), through a subscription or a group alike.
 */
async function forget(call: Call, profile: StoredRecord): Promise<void> {
  await call.store.delete("payment_profile", String(profile.id));
  for (const subscription of await call.store.list("subscription")) {
    if (!paysWith(subscription, profile.id)) continue;
    const { credit_card: _card, bank_account: _bank, ...rest } = subscription;
    await call.store.put("subscription", String(subscription.id), { ...rest, payment_type: null, updated_at: call.nowIso });
  }
  for (const group of await call.store.list("subscription_group")) {
    if (group.payment_profile_id === profile.id) await call.store.put("subscription_group", String(group.uid), { ...group, payment_profile_id: null });
  }
}

export async function deleteSubscriptionGroupPaymentProfile(call: Call): Promise<Reply> {
  const found = await groupAndProfile(call);
  if (!found || found.profile.customer_id !== found.group.customer_id) return call.notFound();
  await forget(call, found.profile);
  return call.ok();
}

export async function changeSubscriptionDefaultPaymentProfile(call: Call): Promise<Reply> {
  const found = await subscriptionAndProfile(call);
  if (!found) return call.notFound();
  const { subscription, profile } = found;
  if (paysWith(subscription, profile.id)) return call.example(422, "alreadyDefault");
  const { credit_card: _card, bank_account: _bank, ...rest } = subscription;
  await call.store.put("subscription", String(subscription.id), { ...rest, [slotOf(profile)]: profile, payment_type: profile.payment_type, updated_at: call.nowIso });
  return call.answer("payment_profile", profile);
}

export async function changeSubscriptionGroupDefaultPaymentProfile(call: Call): Promise<Reply> {
  const found = await groupAndProfile(call);
  if (!found) return call.notFound();
  if (found.profile.customer_id !== found.group.customer_id) return call.example(422, "otherCustomer");
  await call.store.put("subscription_group", String(found.group.uid), { ...found.group, payment_profile_id: found.profile.id });
  return call.answer("payment_profile", found.profile);
}

/** The deposits the test bank sent: the amounts of the operation's own request example. */
function sentDeposits(call: Call): unknown {
  const example = call.operation.request?.body?.contents?.[0]?.examples?.[0];
  return example && "value" in example && isObject(example.value) ? example.value.bank_account_verification : undefined;
}

export async function verifyBankAccount(call: Call): Promise<Reply> {
  const profile = await find(call, "payment_profile", call.path.bank_account_id);
  if (!profile || profile.payment_type !== "bank_account") return call.notFound();
  const deposits = sentDeposits(call);
  const sent = call.sent("bank_account_verification");
  const right = isObject(deposits) && Number(sent.deposit_1_in_cents) === deposits.deposit_1_in_cents && Number(sent.deposit_2_in_cents) === deposits.deposit_2_in_cents;
  if (!right) return call.example(422, "wrongAmounts");
  const verified = { ...profile, verified: true, updated_at: call.nowIso };
  await call.store.put("payment_profile", String(profile.id), verified);
  return call.answer("payment_profile", verified);
}

const updateEmailWindow = 30 * 60 * 1000;
const maxUpdateEmails = 5;

export async function sendRequestUpdatePaymentEmail(call: Call): Promise<Reply> {
  const subscription = await find(call, "subscription", call.path.subscription_id);
  if (!subscription) return call.notFound();
  const key = String(subscription.id);
  const sent = ((await call.store.get("update_payment_email", key))?.sent as string[] | undefined) ?? [];
  const recent = sent.filter((at) => call.now.getTime() - Date.parse(at) < updateEmailWindow);
  if (recent.length >= maxUpdateEmails) return call.example(422, "tooManyRequests");
  await call.store.put("update_payment_email", key, { sent: [...recent, call.nowIso] });
  return call.ok();
}

/**
 * Customers: a `reference` is unique within the site, and a customer created without an
 * organization gets its first and last name as one (both as the live API does).
 */
import type { Call, Reply } from "../call.js";
import { createRecord } from "../crud.js";
import type { StoredRecord } from "../store.js";

/** The live API's message, word for word. */
export const referenceTaken = "Reference: must be unique - that value has been taken.";

/** A 422 when another customer already has the reference the request sends. */
async function takenReference(call: Call, ownId?: unknown): Promise<Reply | undefined> {
  const reference = call.sent("customer").reference;
  if (typeof reference !== "string" || reference === "") return undefined;
  const holders = await call.store.list("customer", { field: "reference", value: reference });
  const holder = holders.find((customer) => customer.id !== ownId);
  return holder ? call.errors(422, referenceTaken) : undefined;
}

/** What the API fills in that a request left out: the organization is the customer's name. */
function filledIn(sent: Record<string, unknown>): StoredRecord {
  return { organization: sent.organization ?? [sent.first_name, sent.last_name].filter(Boolean).join(" ") };
}

export async function createCustomer(call: Call): Promise<Reply> {
  const taken = await takenReference(call);
  return taken ?? call.plain!(filledIn(call.sent("customer")));
}

/** A customer created on the way by another operation (a subscription's `customer_attributes`). */
export function createCustomerRecord(call: Call, attributes: Record<string, unknown>): Promise<StoredRecord> {
  return createRecord(call, "customer", attributes, filledIn(attributes));
}

export async function updateCustomer(call: Call): Promise<Reply> {
  const taken = await takenReference(call, Number(call.path.id));
  return taken ?? call.plain!();
}

/**
 * A customer with subscriptions (in any state) is not deleted: they would point at no one. Without
 * any, the customer goes with its payment profiles and Billing Portal state.
 */
export async function deleteCustomer(call: Call): Promise<Reply> {
  const id = call.key("customer", call.path.id);
  if (!(await call.store.get("customer", id))) return call.notFound();
  if ((await call.store.list("subscription", { field: "customer.id", value: id })).length > 0) return call.example(422, "hasSubscriptions");
  for (const profile of await call.store.list("payment_profile", { field: "customer_id", value: id })) {
    await call.store.delete("payment_profile", String(profile.id));
  }
  await call.store.delete("portal", id);
  return call.plain!();
}

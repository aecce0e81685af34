/**
 * The Advanced Billing Test Gateway, as its documentation describes it: card number `1` (or any
 * number ending in 1) is in good standing; `2` (ending in 2) authorizes but takes no payment; `3`
 * (ending in 3) fails every authorization and payment. The mock treats every other card, and every
 * bank account or wallet, as good.
 */
import { isObject } from "../schema.js";
import type { Store, StoredRecord } from "../store.js";

/** The gateway's words when it refuses, as the API passes them on. */
export const declined = "Bogus Gateway: Forced failure";

export interface GatewayCard {
  authorizes: boolean;
  pays: boolean;
}

/** What the Test Gateway does with a payment profile (or none: nothing to charge). */
export function testGateway(profile: StoredRecord | undefined): GatewayCard {
  if (!profile) return { authorizes: false, pays: false };
  const masked = typeof profile.masked_card_number === "string" ? profile.masked_card_number : "";
  const last = profile.payment_type === "credit_card" || profile.payment_type === undefined ? masked.slice(-1) : "";
  if (last === "3") return { authorizes: false, pays: false };
  if (last === "2") return { authorizes: true, pays: false };
  return { authorizes: true, pays: true };
}

/** The profile a subscription pays with, as the store holds it now (the embedded copy may be stale). */
export async function payingProfile(store: Store, subscription: StoredRecord): Promise<StoredRecord | undefined> {
  const embedded = [subscription.credit_card, subscription.bank_account].find((p) => isObject(p) && p.id !== undefined) as StoredRecord | undefined;
  if (!embedded) return undefined;
  return (await store.get("payment_profile", String(embedded.id))) ?? embedded;
}

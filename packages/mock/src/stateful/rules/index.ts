/**
 * The API's own rules, by operationId: each is the one place its behaviour is written. A rule may
 * call `call.plain()` for the table's behaviour (resources.ts) around its own checks.
 */
import type { Call, Reply } from "../call.js";
import * as billingPortal from "./billing-portal.js";
import * as coupons from "./coupons.js";
import * as customers from "./customers.js";
import * as paymentProfiles from "./payment-profiles.js";
import * as portal from "./portal.js";
import * as subscriptions from "./subscriptions.js";

export type Rule = (call: Call) => Promise<Reply>;

const { createCustomer, updateCustomer } = customers;
const { createPaymentProfile, updatePaymentProfile, deleteUnusedPaymentProfile } = paymentProfiles;

export const rules: Record<string, Rule> = {
  createCustomer,
  updateCustomer,
  ...billingPortal,
  createPaymentProfile,
  updatePaymentProfile,
  deleteUnusedPaymentProfile,
  ...subscriptions,
  ...coupons,
  ...portal,
};

/**
 * The API's own rules, by operationId: each is the one place its behaviour is written. A rule may
 * call `call.plain()` for the table's behaviour (resources.ts) around its own checks.
 */
import type { Call, Reply } from "../call.js";
import * as billingPortal from "./billing-portal.js";
import * as coupons from "./coupons.js";
import * as customers from "./customers.js";
import * as groups from "./groups.js";
import * as profiles from "./payment-profiles.js";
import * as portal from "./portal.js";
import * as subscriptions from "./subscriptions.js";

export type Rule = (call: Call) => Promise<Reply>;

export const rules: Record<string, Rule> = {
  createCustomer: customers.createCustomer,
  updateCustomer: customers.updateCustomer,
  deleteCustomer: customers.deleteCustomer,

  enableBillingPortalForCustomer: billingPortal.enableBillingPortalForCustomer,
  readBillingPortalLink: billingPortal.readBillingPortalLink,
  resendBillingPortalInvitation: billingPortal.resendBillingPortalInvitation,
  revokeBillingPortalAccess: billingPortal.revokeBillingPortalAccess,

  createPaymentProfile: profiles.createPaymentProfile,
  updatePaymentProfile: profiles.updatePaymentProfile,
  deleteUnusedPaymentProfile: profiles.deleteUnusedPaymentProfile,
  deleteSubscriptionsPaymentProfile: profiles.deleteSubscriptionsPaymentProfile,
  deleteSubscriptionGroupPaymentProfile: profiles.deleteSubscriptionGroupPaymentProfile,
  changeSubscriptionDefaultPaymentProfile: profiles.changeSubscriptionDefaultPaymentProfile,
  changeSubscriptionGroupDefaultPaymentProfile: profiles.changeSubscriptionGroupDefaultPaymentProfile,
  verifyBankAccount: profiles.verifyBankAccount,
  sendRequestUpdatePaymentEmail: profiles.sendRequestUpdatePaymentEmail,

  createSubscription: subscriptions.createSubscription,
  readSubscription: subscriptions.readSubscription,
  updateSubscription: subscriptions.updateSubscription,
  cancelSubscription: subscriptions.cancelSubscription,
  initiateDelayedCancellation: subscriptions.initiateDelayedCancellation,
  cancelDelayedCancellation: subscriptions.cancelDelayedCancellation,
  reactivateSubscription: subscriptions.reactivateSubscription,
  applyCouponsToSubscription: subscriptions.applyCouponsToSubscription,
  migrateSubscriptionProduct: subscriptions.migrateSubscriptionProduct,
  createSubscriptionCharge: subscriptions.createSubscriptionCharge,
  createSubscriptionAdjustment: subscriptions.createSubscriptionAdjustment,
  refundSubscriptionPayment: subscriptions.refundSubscriptionPayment,

  createCoupon: coupons.createCoupon,
  updateCoupon: coupons.updateCoupon,
  archiveCoupon: coupons.archiveCoupon,
  validateCoupon: coupons.validateCoupon,

  createPortalConfiguration: portal.createPortalConfiguration,
  updatePortalConfiguration: portal.updatePortalConfiguration,
  createPortalSession: portal.createPortalSession,

  signupWithSubscriptionGroup: groups.signupWithSubscriptionGroup,
  createSubscriptionGroup: groups.createSubscriptionGroup,
  listSubscriptionGroups: groups.listSubscriptionGroups,
  readSubscriptionGroup: groups.readSubscriptionGroup,
  findSubscriptionGroup: groups.findSubscriptionGroup,
  updateSubscriptionGroupMembers: groups.updateSubscriptionGroupMembers,
  deleteSubscriptionGroup: groups.deleteSubscriptionGroup,
  addSubscriptionToGroup: groups.addSubscriptionToGroup,
  removeSubscriptionFromGroup: groups.removeSubscriptionFromGroup,
};

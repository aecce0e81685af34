/**
 * The rules of time, in the order they run when several fall due at the same moment: a
 * subscription ends (cancellation, expiry) before it would renew; a trial ends before its first
 * renewal; a retry before a renewal. Notices change nothing and come last.
 */
import type { TimeRule } from "../time-step.js";
import { dunning } from "./dunning.js";
import { delayedCancellation, expiry } from "./endings.js";
import { managementLinkExpiry, portalSessionExpiry } from "./expirations.js";
import { expiringCard, trialEndNotice, upcomingRenewalNotice } from "./notices.js";
import { renewal } from "./renewal.js";
import { trialEnd } from "./trials.js";

export const timeRules: readonly TimeRule[] = [
  delayedCancellation,
  expiry,
  trialEnd,
  dunning,
  renewal,
  portalSessionExpiry,
  managementLinkExpiry,
  upcomingRenewalNotice,
  trialEndNotice,
  expiringCard,
];

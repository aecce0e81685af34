/**
 * Portal sessions and Billing Portal management links last until their `expires_at`; then they are
 * gone (the next management-link read makes a new link). No webhook is sent for either.
 */
import { isObject } from "../schema.js";
import type { TimeRule } from "../time-step.js";
import { time } from "./periods.js";

export const portalSessionExpiry: TimeRule = {
  name: "portal-session-expiry",
  kind: "portal_session",
  due: (session) => time(session.expires_at),
  async apply(tick, session) {
    await tick.store.delete("portal_session", String(session.id));
    return [{ at: tick.atIso, rule: "portal-session-expiry", kind: "portal_session", id: String(session.id), from: "open", to: "expired", events: [] }];
  },
};

/** The portal record (by customer id) holds the current management link. */
export const managementLinkExpiry: TimeRule = {
  name: "management-link-expiry",
  kind: "portal",
  due: (portal) => (isObject(portal.link) ? time(portal.link.expires_at) : undefined),
  async apply(tick, portal) {
    const id = String(portal.id);
    await tick.store.put("portal", id, { ...portal, link: null });
    return [{ at: tick.atIso, rule: "management-link-expiry", kind: "management_link", id, from: "open", to: "expired", events: [] }];
  },
};

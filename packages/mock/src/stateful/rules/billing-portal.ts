/**
 * The Billing Portal's rules: enabling sets the customer's portal fields; the management link is the
 * same URL for 15 days, counts its fetches and answers 429 after 15 before `new_link_available_at`;
 * an invitation can be resent 5 times in 30 minutes, and not once access is revoked.
 */
import { randomBytes } from "node:crypto";
import { iso, type Call, type Reply } from "../call.js";
import type { StoredRecord } from "../store.js";

const day = 24 * 60 * 60 * 1000;
/** A link is served again for this long, and works for this long (the guide's 15 and 65 days). */
const linkReusedFor = 15 * day;
const linkValidFor = 65 * day;
const maxFetches = 15;
const invitationWindow = 30 * 60 * 1000;
const maxInvitations = 5;

/** The portal state the customer record does not show: revocation, resends, the current link. */
interface Portal extends StoredRecord {
  revoked: boolean;
  invitations: string[];
  link: { url: string; fetch_count: number; created_at: string; new_link_available_at: string; expires_at: string } | null;
}

async function customerAndPortal(call: Call) {
  const id = call.key("customer", call.path.customer_id);
  const customer = await call.store.get("customer", id);
  // The portal record carries its customer's id, so the time step (link expiry) can name it.
  const portal: Portal = { ...(((await call.store.get("portal", id)) as Portal | undefined) ?? { revoked: false, invitations: [], link: null }), id };
  const enabled = customer?.portal_customer_created_at != null && !portal.revoked;
  return { id, customer, portal, enabled };
}

export async function enableBillingPortalForCustomer(call: Call): Promise<Reply> {
  const { id, customer, portal } = await customerAndPortal(call);
  if (!customer) return call.notFound();
  const invite = call.param("auto_invite") === "1";
  const updated = {
    ...customer,
    portal_customer_created_at: portal.revoked ? call.nowIso : customer.portal_customer_created_at ?? call.nowIso,
    ...(invite ? { portal_invite_last_sent_at: call.nowIso } : {}),
    updated_at: call.nowIso,
  };
  await call.store.put("customer", id, updated);
  await call.store.put("portal", id, { ...portal, revoked: false, invitations: invite ? [...portal.invitations, call.nowIso] : portal.invitations });
  return call.answer("customer", updated);
}

export async function readBillingPortalLink(call: Call): Promise<Reply> {
  const { id, customer, portal, enabled } = await customerAndPortal(call);
  if (!customer) return call.notFound();
  if (!enabled) return call.example(422, "portalNotEnabled");
  let link = portal.link;
  if (!link || call.now.getTime() >= Date.parse(link.new_link_available_at)) {
    const created = call.now.getTime();
    link = {
      url: `https://www.billingportal.com/manage/${id}/${Math.floor(created / 1000)}/${randomBytes(8).toString("hex")}`,
      fetch_count: 0,
      created_at: iso(new Date(created)),
      new_link_available_at: iso(new Date(created + linkReusedFor)),
      expires_at: iso(new Date(created + linkValidFor)),
    };
  } else if (link.fetch_count >= maxFetches) {
    const after = link.new_link_available_at;
    return call.example(429, "tooManyRequests", () => ({
      errors: { error: `Too many requests. You can request a new link after ${after}.`, new_link_available_at: after },
    }));
  }
  link = { ...link, fetch_count: link.fetch_count + 1 };
  await call.store.put("portal", id, { ...portal, link });
  return call.ok({ ...link, last_invite_sent_at: customer.portal_invite_last_sent_at ?? null });
}

/** `11/21/2026 02:12 PM UTC`: how the invitation answers write their dates. */
function shownDate(value: unknown, otherwise: string): string {
  if (typeof value !== "string") return otherwise;
  const date = new Date(value);
  const pad = (n: number) => String(n).padStart(2, "0");
  const hours = date.getUTCHours() % 12 || 12;
  return `${pad(date.getUTCMonth() + 1)}/${pad(date.getUTCDate())}/${date.getUTCFullYear()} ${pad(hours)}:${pad(date.getUTCMinutes())} ${date.getUTCHours() < 12 ? "AM" : "PM"} UTC`;
}

/** Customers who have never been sent an invitation. */
async function uninvited(call: Call): Promise<number> {
  return (await call.store.list("customer")).filter((customer) => customer.portal_invite_last_sent_at == null).length;
}

export async function resendBillingPortalInvitation(call: Call): Promise<Reply> {
  const { id, customer, portal, enabled } = await customerAndPortal(call);
  if (!customer) return call.notFound();
  if (!enabled) return call.example(422, "portalDisabled");
  const recent = portal.invitations.filter((sent) => call.now.getTime() - Date.parse(sent) < invitationWindow);
  if (recent.length >= maxInvitations) return call.example(422, "tooManyInvitations");
  const updated = { ...customer, portal_invite_last_sent_at: call.nowIso, updated_at: call.nowIso };
  await call.store.put("customer", id, updated);
  await call.store.put("portal", id, { ...portal, invitations: [...recent, call.nowIso] });
  return call.ok({
    last_sent_at: shownDate(call.nowIso, "Not Invited"),
    last_accepted_at: shownDate(customer.portal_invite_last_accepted_at, "Not Accepted"),
    send_invite_link_text: "Resend Invitation",
    uninvited_count: await uninvited(call),
    last_invite_sent_at: call.nowIso,
    last_invite_accepted_at: customer.portal_invite_last_accepted_at ?? null,
  });
}

export async function revokeBillingPortalAccess(call: Call): Promise<Reply> {
  const { id, customer, portal, enabled } = await customerAndPortal(call);
  if (!customer) return call.notFound();
  if (!enabled) return call.example(422, "alreadyDisabled");
  await call.store.put("customer", id, { ...customer, portal_invite_last_sent_at: null, updated_at: call.nowIso });
  await call.store.put("portal", id, { ...portal, revoked: true, invitations: [], link: null });
  return call.ok({ last_sent_at: "Not Invited", last_accepted_at: "Invite Revoked", uninvited_count: await uninvited(call) });
}

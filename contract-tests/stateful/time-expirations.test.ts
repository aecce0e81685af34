import { describe, expect, test } from "vitest";
import { expectAnswer, namespace, statefulClient } from "../support/stateful.js";
import { control, day } from "../support/time.js";

// The expiry rules: portal sessions and management links last until their expires_at.
describe("portal session and management link expiry", () => {
  test("a portal session is gone at its expires_at, and the clock's summary names it", async () => {
    const name = namespace("expire-session");
    const billing = statefulClient(name);
    const created = await billing.portalSessions.createPortalSession({ body: { portal_session: { customer_id: 150 } } });
    await expectAnswer("createPortalSession", 201, created);
    const session = created.data!.portal_session;
    expect(Object.keys((await control(name).state()).resources.portal_session ?? {})).toEqual([String(session.id)]);

    const summary = await control(name).clock.set(new Date(Date.parse(session.expires_at) + 1000));
    expect(summary.changes.filter((change) => change.kind === "portal_session")).toEqual([
      { at: session.expires_at, rule: "portal-session-expiry", kind: "portal_session", id: String(session.id), from: "open", to: "expired", events: [] },
    ]);
    expect((await control(name).state()).resources.portal_session).toBeUndefined();
  });

  test("a management link expires at its expires_at; the next read makes a new one", async () => {
    const name = namespace("expire-link");
    const billing = statefulClient(name);
    await billing.billingPortal.enableBillingPortalForCustomer({ customer_id: 150 });
    const first = await billing.billingPortal.readBillingPortalLink({ customer_id: 150 });
    await expectAnswer("readBillingPortalLink", 200, first);
    const summary = await control(name).clock.advance(66 * day);
    expect(summary.changes.filter((change) => change.kind === "management_link")).toEqual([
      { at: first.data!.expires_at, rule: "management-link-expiry", kind: "management_link", id: "150", from: "open", to: "expired", events: [] },
    ]);
    const next = await billing.billingPortal.readBillingPortalLink({ customer_id: 150 });
    await expectAnswer("readBillingPortalLink", 200, next);
    expect(next.data!.url).not.toBe(first.data!.url);
    expect(next.data!.fetch_count).toBe(1);
  });
});

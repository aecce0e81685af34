import { describe, expect, test } from "vitest";
import { expectAnswer, mockControl, namespace, statefulClient } from "../support/stateful.js";

// The Billing Portal's rules, each with the clock instead of waiting.
const day = 24 * 60 * 60;

async function enabledCustomer(name: string) {
  const billing = statefulClient(name);
  const { data } = await billing.customers.createCustomer({ body: { customer: { first_name: "Ada", last_name: "Lovelace", email: "ada@example.com" } } });
  const customer_id = data!.customer.id;
  return { billing, customer_id };
}

describe("enabling", () => {
  test("sets the customer's portal fields; auto_invite=1 also sends the invitation", async () => {
    const { billing, customer_id } = await enabledCustomer(namespace("portal-enable"));
    const before = await billing.customers.readCustomer({ id: customer_id });
    expect(before.data!.customer).toMatchObject({ portal_customer_created_at: null, portal_invite_last_sent_at: null });
    const enabled = await billing.billingPortal.enableBillingPortalForCustomer({ customer_id, auto_invite: 1 });
    await expectAnswer("enableBillingPortalForCustomer", 200, enabled);
    const after = (await billing.customers.readCustomer({ id: customer_id })).data!.customer;
    expect(after.portal_customer_created_at).not.toBeNull();
    expect(after.portal_invite_last_sent_at).not.toBeNull();
    expect(after).toEqual(enabled.data!.customer);
  });

  test("an unknown customer is a 404", async () => {
    const billing = statefulClient(namespace("portal-404"));
    await expectAnswer("enableBillingPortalForCustomer", 404, await billing.billingPortal.enableBillingPortalForCustomer({ customer_id: 999_999 }));
  });
});

describe("the management link", () => {
  test("is refused before the portal is enabled", async () => {
    const { billing, customer_id } = await enabledCustomer(namespace("link-disabled"));
    const refused = await billing.billingPortal.readBillingPortalLink({ customer_id });
    await expectAnswer("readBillingPortalLink", 422, refused);
    expect(refused.error!.body).toEqual({ errors: ["Billing Portal is not enabled for this customer."] });
  });

  test("is the same URL for 15 fetches, counting them; the 16th is a 429; after new_link_available_at a new one", async () => {
    const name = namespace("link");
    const { billing, customer_id } = await enabledCustomer(name);
    await billing.billingPortal.enableBillingPortalForCustomer({ customer_id });
    const urls = new Set<string>();
    let last;
    for (let fetch = 1; fetch <= 15; fetch++) {
      last = await billing.billingPortal.readBillingPortalLink({ customer_id });
      expect(last.data!.fetch_count).toBe(fetch);
      urls.add(last.data!.url);
      await mockControl(name).advance(3600);
    }
    await expectAnswer("readBillingPortalLink", 200, last!);
    expect(urls.size).toBe(1);
    const link = last!.data!;
    expect(Date.parse(link.new_link_available_at) - Date.parse(link.created_at)).toBe(15 * day * 1000);
    expect(Date.parse(link.expires_at) - Date.parse(link.created_at)).toBe(65 * day * 1000);

    const blocked = await billing.billingPortal.readBillingPortalLink({ customer_id });
    await expectAnswer("readBillingPortalLink", 429, blocked);
    expect(blocked.error!.body).toEqual({
      errors: { error: `Too many requests. You can request a new link after ${link.new_link_available_at}.`, new_link_available_at: link.new_link_available_at },
    });

    await mockControl(name).advance(15 * day);
    const renewed = await billing.billingPortal.readBillingPortalLink({ customer_id });
    await expectAnswer("readBillingPortalLink", 200, renewed);
    expect(renewed.data!.fetch_count).toBe(1);
    expect(renewed.data!.url).not.toBe(link.url);
  });

  test("a customer's link is not another's", async () => {
    const billing = statefulClient(namespace("link-two"));
    const martha = await billing.billingPortal.readBillingPortalLink({ customer_id: 150 });
    const george = await billing.billingPortal.readBillingPortalLink({ customer_id: 151 });
    expect(martha.data!.url).toContain("/manage/150/");
    expect(george.data!.url).toContain("/manage/151/");
  });
});

describe("invitations", () => {
  test("five resends in 30 minutes; the sixth is a 422; 30 minutes later, allowed again", async () => {
    const name = namespace("invite");
    const { billing, customer_id } = await enabledCustomer(name);
    await billing.billingPortal.enableBillingPortalForCustomer({ customer_id });
    for (let resend = 1; resend <= 5; resend++) {
      const sent = await billing.billingPortal.resendBillingPortalInvitation({ customer_id });
      await expectAnswer("resendBillingPortalInvitation", 200, sent);
      await mockControl(name).advance(60);
    }
    const sixth = await billing.billingPortal.resendBillingPortalInvitation({ customer_id });
    await expectAnswer("resendBillingPortalInvitation", 422, sixth);
    expect(sixth.error!.body).toEqual({ errors: ["Too many requests. You can perform 5 requests within 00:30:00."] });
    await mockControl(name).advance(30 * 60);
    const later = await billing.billingPortal.resendBillingPortalInvitation({ customer_id });
    expect(later.response.status).toBe(200);
    const customer = (await billing.customers.readCustomer({ id: customer_id })).data!.customer;
    expect(customer.portal_invite_last_sent_at).toBe(later.data!.last_invite_sent_at);
  });

  test("after access is revoked, a resend is a 422, and so is a second revoke; enabling again restores it", async () => {
    const { billing, customer_id } = await enabledCustomer(namespace("revoke"));
    await billing.billingPortal.enableBillingPortalForCustomer({ customer_id, auto_invite: 1 });
    const revoked = await billing.billingPortal.revokeBillingPortalAccess({ customer_id });
    await expectAnswer("revokeBillingPortalAccess", 200, revoked);
    expect(revoked.data).toMatchObject({ last_sent_at: "Not Invited", last_accepted_at: "Invite Revoked" });

    const resend = await billing.billingPortal.resendBillingPortalInvitation({ customer_id });
    await expectAnswer("resendBillingPortalInvitation", 422, resend);
    expect(resend.error!.body).toEqual({ errors: ["Billing Portal is not enabled for this customer."] });
    await expectAnswer("revokeBillingPortalAccess", 422, await billing.billingPortal.revokeBillingPortalAccess({ customer_id }));
    expect((await billing.billingPortal.readBillingPortalLink({ customer_id })).response.status).toBe(422);

    await billing.billingPortal.enableBillingPortalForCustomer({ customer_id });
    expect((await billing.billingPortal.resendBillingPortalInvitation({ customer_id })).response.status).toBe(200);
  });
});

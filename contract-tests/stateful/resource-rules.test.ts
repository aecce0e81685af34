import { describe, expect, test } from "vitest";
import { expectAnswer, mockControl, namespace, statefulClient } from "../support/stateful.js";

// The rules of customers, payment profiles, groups, coupons and the portal, one test each.
describe("customers", () => {
  test("a second customer with a taken reference is a 422 with the live API's message", async () => {
    const billing = statefulClient(namespace("reference"));
    const taken = await billing.customers.createCustomer({ body: { customer: { first_name: "Martha", last_name: "Custis", email: "m@example.com", reference: "mv-0042" } } });
    await expectAnswer("createCustomer", 422, taken);
    expect(taken.error!.body).toEqual({ errors: ["Reference: must be unique - that value has been taken."] });
    const first = await billing.customers.createCustomer({ body: { customer: { first_name: "Ada", last_name: "L", email: "a@example.com", reference: "ada" } } });
    const renamed = await billing.customers.updateCustomer({ id: first.data!.customer.id, body: { customer: { reference: "mv-0042" } } });
    await expectAnswer("updateCustomer", 422, renamed);
    const own = await billing.customers.updateCustomer({ id: first.data!.customer.id, body: { customer: { reference: "ada" } } });
    expect(own.response.status).toBe(200);
    // Martha (150) has subscriptions, so she cannot be deleted; a reference is freed by changing it.
    await billing.customers.updateCustomer({ id: 150, body: { customer: { reference: "mv-0042-old" } } });
    const freed = await billing.customers.createCustomer({ body: { customer: { first_name: "Martha", last_name: "Custis", email: "m@example.com", reference: "mv-0042" } } });
    expect(freed.response.status).toBe(201);
  });
});

describe("payment profiles", () => {
  test("a profile stores masked numbers, never the numbers sent", async () => {
    const billing = statefulClient(namespace("masked"));
    const bank = await billing.paymentProfiles.createPaymentProfile({
      body: { payment_profile: { customer_id: 151, bank_name: "Bank of Kansas City", bank_routing_number: "021000089", bank_account_number: "111111113344", bank_account_type: "checking", bank_account_holder_type: "personal", payment_type: "bank_account" } },
    });
    await expectAnswer("createPaymentProfile", 201, bank);
    expect(bank.data!.payment_profile).toMatchObject({ customer_id: 151, payment_type: "bank_account", masked_bank_account_number: "XXXX3344", masked_bank_routing_number: "XXXX0089", first_name: "George", verified: false });
    expect(JSON.stringify(bank.data)).not.toContain("111111113344");
    await expectAnswer("createPaymentProfile", 404, await billing.paymentProfiles.createPaymentProfile({ body: { payment_profile: { customer_id: 999_999, chargify_token: "tok_1" } } }));
  });

  test("a card made from a one-time token shows the token it was made from", async () => {
    const billing = statefulClient(namespace("token-card"));
    const card = await billing.paymentProfiles.createPaymentProfile({ body: { payment_profile: { customer_id: 150, chargify_token: "tok_9g6hw85pnpt6knmskpwp4ttt" } } });
    await expectAnswer("createPaymentProfile", 201, card);
    expect(card.data!.payment_profile).toMatchObject({ payment_type: "credit_card", chargify_token: "tok_9g6hw85pnpt6knmskpwp4ttt" });
  });

  test("a profile a live subscription pays with cannot be deleted; once it is canceled, it can", async () => {
    const billing = statefulClient(namespace("in-use"));
    const inUse = await billing.paymentProfiles.deleteUnusedPaymentProfile({ payment_profile_id: 10088716 });
    await expectAnswer("deleteUnusedPaymentProfile", 422, inUse);
    const fresh = await billing.paymentProfiles.createPaymentProfile({ body: { payment_profile: { customer_id: 150, full_number: "1", expiration_month: 1, expiration_year: 2031 } } });
    const id = fresh.data!.payment_profile.id!;
    const sub = await billing.subscriptions.createSubscription({ body: { subscription: { product_id: 3101, customer_id: 150, payment_profile_id: id } } });
    expect((await billing.paymentProfiles.deleteUnusedPaymentProfile({ payment_profile_id: id })).response.status).toBe(422);
    await billing.subscriptions.cancelSubscription({ subscription_id: sub.data!.subscription.id, body: {} });
    await expectAnswer("deleteUnusedPaymentProfile", 204, await billing.paymentProfiles.deleteUnusedPaymentProfile({ payment_profile_id: id }));
    await expectAnswer("readPaymentProfile", 404, await billing.paymentProfiles.readPaymentProfile({ payment_profile_id: id }));
    // The canceled subscription names no card that is gone (a reactivation would charge it).
    const canceled = await billing.subscriptions.readSubscription({ subscription_id: sub.data!.subscription.id });
    expect(canceled.data!.subscription).toMatchObject({ state: "canceled", payment_type: null });
    expect(canceled.data!.subscription.credit_card).toBeUndefined();
  });

  test("a profile deleted through a subscription or through a group is taken off every subscription and group that paid with it", async () => {
    // Martha's card pays for 222, 223, 224 and their group.
    for (const [prefix, remove] of [
      ["profile-off-subscription", (billing: ReturnType<typeof statefulClient>) => billing.paymentProfiles.deleteSubscriptionsPaymentProfile({ subscription_id: 222, payment_profile_id: 10088716 })],
      ["profile-off-group", (billing: ReturnType<typeof statefulClient>) => billing.paymentProfiles.deleteSubscriptionGroupPaymentProfile({ uid: "grp_b9fkz5jyd7tq", payment_profile_id: 10088716 })],
    ] as const) {
      const billing = statefulClient(namespace(prefix));
      expect((await remove(billing)).response.status).toBe(204);
      for (const subscription_id of [222, 223, 224]) {
        const read = await billing.subscriptions.readSubscription({ subscription_id });
        expect(read.data!.subscription.credit_card, `${prefix}: ${subscription_id}`).toBeUndefined();
        expect(read.data!.subscription.payment_type).toBeNull();
      }
      expect((await billing.subscriptionGroups.readSubscriptionGroup({ uid: "grp_b9fkz5jyd7tq" })).data!.payment_profile_id).toBeNull();
    }
  });

  test("a subscription's default profile changes, and the same one again is a 422", async () => {
    const billing = statefulClient(namespace("default-profile"));
    const changed = await billing.paymentProfiles.changeSubscriptionDefaultPaymentProfile({ subscription_id: 222, payment_profile_id: 10089892 });
    await expectAnswer("changeSubscriptionDefaultPaymentProfile", 201, changed);
    const read = await billing.subscriptions.readSubscription({ subscription_id: 222 });
    expect(read.data!.subscription).toMatchObject({ bank_account: { id: 10089892 }, payment_type: "bank_account" });
    expect(read.data!.subscription.credit_card).toBeUndefined();
    await expectAnswer("changeSubscriptionDefaultPaymentProfile", 422, await billing.paymentProfiles.changeSubscriptionDefaultPaymentProfile({ subscription_id: 222, payment_profile_id: 10089892 }));
  });

  test("a profile imported from a vault keeps the vault's tokens, and reads back with them", async () => {
    const billing = statefulClient(namespace("vault-import"));
    const imports = [
      { payment_profile: { customer_id: 150, vault_token: "pm_1QxT8n2eZvKYlo2C0cB3e6Xh", customer_vault_token: "cus_Qx8fWbNvT2kq1L", current_vault: "stripe_connect", card_type: "visa", expiration_month: 9, expiration_year: 2029, last_four: "4242" } },
      { payment_profile: { customer_id: 150, customer_vault_token: "CU000R3B8KN2WT", vault_token: "MD000SJ1TQ9V4E", current_vault: "gocardless", bank_name: "French Bank", bank_account_number: "2606", bank_routing_number: "0041", payment_type: "bank_account" } },
    ] as const;
    for (const body of imports) {
      const created = await billing.paymentProfiles.createPaymentProfile({ body });
      await expectAnswer("createPaymentProfile", 201, created);
      const tokens = { vault_token: body.payment_profile.vault_token, customer_vault_token: body.payment_profile.customer_vault_token, current_vault: body.payment_profile.current_vault };
      expect(created.data!.payment_profile).toMatchObject(tokens);
      const read = await billing.paymentProfiles.readPaymentProfile({ payment_profile_id: created.data!.payment_profile.id! });
      expect(read.data!.payment_profile).toMatchObject(tokens);
    }
  });

  test("a profile cannot change type: card details on a bank account, a PayPal account or an Apple Pay card are a 422 naming the field", async () => {
    const billing = statefulClient(namespace("profile-type"));
    // Martha's bank account, George's PayPal account, Martha's Apple Pay card.
    for (const [id, type] of [[10089892, "a bank account"], [10231178, "a PayPal account"], [10231204, "an Apple Pay"]] as const) {
      const card = await billing.paymentProfiles.updatePaymentProfile({ payment_profile_id: id, body: { payment_profile: { full_number: "5555555555554444", expiration_month: "04", expiration_year: "2031" } } });
      await expectAnswer("updatePaymentProfile", 422, card);
      expect(card.error!.body).toEqual({ errors: { full_number: `cannot be updated on ${type} payment profile` } });
      const vault = await billing.paymentProfiles.updatePaymentProfile({ payment_profile_id: id, body: { payment_profile: { current_vault: "bogus" } } });
      expect(vault.error!.body).toEqual({ errors: { current_vault: `cannot be updated on ${type} payment profile` } });
      // Its billing details still change, and the profile reads back as its own type.
      const billingDetails = await billing.paymentProfiles.updatePaymentProfile({ payment_profile_id: id, body: { payment_profile: { billing_city: "Alexandria" } } });
      await expectAnswer("updatePaymentProfile", 200, billingDetails);
      expect(billingDetails.data!.payment_profile).toMatchObject({ id, billing_city: "Alexandria" });
      expect(billingDetails.data!.payment_profile).not.toHaveProperty("masked_card_number");
    }
    await expectAnswer("listPaymentProfiles", 200, await billing.paymentProfiles.listPaymentProfiles({}));
  });

  test("Martha's Apple Pay card pays a subscription: it is the subscription's credit_card, told apart by payment_type, in every answer", async () => {
    const billing = statefulClient(namespace("apple-pay"));
    // 10231204 is Martha's Apple Pay card (Braintree): no card number, brand or expiry.
    const created = await billing.subscriptions.createSubscription({ body: { subscription: { product_handle: "estate-basic", customer_id: 150, payment_profile_id: 10231204 } } });
    await expectAnswer("createSubscription", 201, created);
    const card = created.data!.subscription.credit_card;
    expect(card).toMatchObject({ id: 10231204, payment_type: "apple_pay", current_vault: "braintree_blue" });
    expect(card).not.toHaveProperty("masked_card_number");
    expect(created.data!.subscription.payment_type).toBe("apple_pay");
    // The union narrows by payment_type, as a consumer's code reads it.
    expect(card?.payment_type === "credit_card" ? card.masked_card_number : card?.current_vault).toBe("braintree_blue");

    await expectAnswer("readSubscription", 200, await billing.subscriptions.readSubscription({ subscription_id: created.data!.subscription.id }));
    await expectAnswer("changeSubscriptionDefaultPaymentProfile", 201, await billing.paymentProfiles.changeSubscriptionDefaultPaymentProfile({ subscription_id: 222, payment_profile_id: 10231204 }));
    const listed = await billing.subscriptions.listSubscriptions({ per_page: 200 });
    await expectAnswer("listSubscriptions", 200, listed);
    expect(listed.data!.filter(({ subscription }) => subscription.credit_card?.payment_type === "apple_pay").map(({ subscription }) => subscription.id).sort()).toEqual([222, created.data!.subscription.id].sort());
  });

  test("request-update-payment emails: five in 30 minutes, then a 422", async () => {
    const name = namespace("update-email");
    const billing = statefulClient(name);
    for (let i = 0; i < 5; i++) await expectAnswer("sendRequestUpdatePaymentEmail", 201, await billing.paymentProfiles.sendRequestUpdatePaymentEmail({ subscription_id: 222 }));
    await expectAnswer("sendRequestUpdatePaymentEmail", 422, await billing.paymentProfiles.sendRequestUpdatePaymentEmail({ subscription_id: 222 }));
    await mockControl(name).advance(30 * 60);
    expect((await billing.paymentProfiles.sendRequestUpdatePaymentEmail({ subscription_id: 222 })).response.status).toBe(201);
  });
});

describe("subscription groups", () => {
  test("group signup creates the payer, the profile, the subscriptions and the group together", async () => {
    const billing = statefulClient(namespace("group-signup"));
    const signedUp = await billing.subscriptionGroups.signupWithSubscriptionGroup({
      body: {
        subscription_group: {
          payer_attributes: { first_name: "Lafayette", last_name: "Motier", email: "lafayette@example.com", reference: "lafayette" },
          credit_card_attributes: { full_number: "4111111111111111", expiration_month: 6, expiration_year: 2032 },
          subscriptions: [{ product_handle: "estate-basic" }, { product_handle: "estate-gardens", primary: true }],
        },
      },
    });
    await expectAnswer("signupWithSubscriptionGroup", 201, signedUp);
    const group = signedUp.data!;
    expect(group.uid).toMatch(/^grp_[0-9a-z]{12}$/);
    expect(group.subscription_ids).toHaveLength(2);
    expect(group.primary_subscription_id).toBe(group.subscriptions[1]!.id);
    const payer = await billing.customers.readCustomerByReference({ reference: "lafayette" });
    expect(payer.data!.customer).toMatchObject({ id: group.customer_id, default_subscription_group_uid: group.uid });
    const profile = await billing.paymentProfiles.readPaymentProfile({ payment_profile_id: group.payment_profile_id! });
    expect(profile.data!.payment_profile).toMatchObject({ customer_id: group.customer_id, masked_card_number: "XXXX-XXXX-XXXX-1111" });
    const read = await billing.subscriptionGroups.readSubscriptionGroup({ uid: group.uid });
    await expectAnswer("readSubscriptionGroup", 200, read);
    expect(read.data!.customer.reference).toBe("lafayette");
    const found = await billing.subscriptionGroups.findSubscriptionGroup({ subscription_id: group.subscription_ids[0]! });
    expect(found.data!.uid).toBe(group.uid);
    const unknown = await billing.subscriptionGroups.signupWithSubscriptionGroup({
      body: { subscription_group: { payer_id: 150, payment_profile_id: 10088716, subscriptions: [{ product_id: 3101 }, { product_handle: "estate-deluxe" }] } },
    });
    await expectAnswer("signupWithSubscriptionGroup", 422, unknown);
    expect(unknown.error!.body).toEqual({ errors: { subscriptions: { "1": { product: ["must be among the Products for this Site"] } } } });
  });

  test("a subscription and its group agree after every change of membership", async () => {
    const billing = statefulClient(namespace("group-members"));
    const uid = "grp_b9fkz5jyd7tq";
    /** Each subscription's group as the subscription says it: the group's uid and whether it leads it. */
    const groupsOf = async (ids: number[]) =>
      Promise.all(ids.map(async (id) => ((await billing.subscriptions.readSubscription({ subscription_id: id })).data!.subscription.group as { uid: string; primary: boolean } | null) ?? null)).then((groups) =>
        groups.map((group) => (group ? `${group.uid}${group.primary ? " (primary)" : ""}` : null)),
      );
    // The example universe: Martha's three plans, 222 leading.
    expect(await groupsOf([222, 223, 224])).toEqual([`${uid} (primary)`, uid, uid]);

    const signedUp = await billing.subscriptionGroups.signupWithSubscriptionGroup({ body: { subscription_group: { payer_id: 150, payment_profile_id: 10088716, subscriptions: [{ product_id: 3101, primary: true }, { product_id: 3102 }] } } });
    await expectAnswer("signupWithSubscriptionGroup", 201, signedUp);
    const other = signedUp.data!.uid;
    const [lead, member] = signedUp.data!.subscription_ids;
    expect(await groupsOf([lead!, member!])).toEqual([`${other} (primary)`, other]);

    // Members replaced: 224 leaves.
    await expectAnswer("updateSubscriptionGroupMembers", 200, await billing.subscriptionGroups.updateSubscriptionGroupMembers({ uid, body: { subscription_group: { member_ids: [223] } } }));
    expect(await groupsOf([222, 223, 224])).toEqual([`${uid} (primary)`, uid, null]);
    // 222, the primary, moves to the other group: 223 leads what is left, and stays its only member after the members are replaced by none.
    await expectAnswer("addSubscriptionToGroup", 200, await billing.subscriptionGroups.addSubscriptionToGroup({ subscription_id: 222, body: { group: { target: { type: "subscription", id: lead! } } } }));
    expect(await groupsOf([222, 223])).toEqual([other, `${uid} (primary)`]);
    const emptied = await billing.subscriptionGroups.updateSubscriptionGroupMembers({ uid, body: { subscription_group: { member_ids: [] } } });
    expect(emptied.data!.subscription_group.subscription_ids).toEqual([223]);
    expect(await groupsOf([222, 223])).toEqual([other, `${uid} (primary)`]);
    // A member removed has no group.
    await expectAnswer("removeSubscriptionFromGroup", 204, await billing.subscriptionGroups.removeSubscriptionFromGroup({ subscription_id: member! }));
    expect(await groupsOf([member!])).toEqual([null]);
    const listed = await billing.subscriptionGroups.readSubscriptionGroup({ uid: other });
    expect(listed.data!.subscription_ids).toEqual([lead, 222]);
  });

  test("a group with members cannot be deleted; the primary leaves last; then the group can go", async () => {
    const billing = statefulClient(namespace("group-delete"));
    const uid = "grp_b9fkz5jyd7tq";
    await expectAnswer("deleteSubscriptionGroup", 422, await billing.subscriptionGroups.deleteSubscriptionGroup({ uid }));
    await expectAnswer("removeSubscriptionFromGroup", 422, await billing.subscriptionGroups.removeSubscriptionFromGroup({ subscription_id: 222 }));
    const members = await billing.subscriptionGroups.updateSubscriptionGroupMembers({ uid, body: { subscription_group: { member_ids: [] } } });
    await expectAnswer("updateSubscriptionGroupMembers", 200, members);
    expect(members.data!.subscription_group.subscription_ids).toEqual([222]);
    await expectAnswer("removeSubscriptionFromGroup", 204, await billing.subscriptionGroups.removeSubscriptionFromGroup({ subscription_id: 222 }));
    const deleted = await billing.subscriptionGroups.deleteSubscriptionGroup({ uid });
    await expectAnswer("deleteSubscriptionGroup", 200, deleted);
    expect(deleted.data).toEqual({ uid, deleted: true });
    await expectAnswer("readSubscriptionGroup", 404, await billing.subscriptionGroups.readSubscriptionGroup({ uid }));
    // Martha's default group was this one: she has none now.
    expect((await billing.customers.readCustomer({ id: 150 })).data!.customer.default_subscription_group_uid).toBeNull();
  });

  test("a group whose payer was deleted still answers, with the payer as it last saw them", async () => {
    const billing = statefulClient(namespace("group-payer-gone"));
    await billing.customers.deleteCustomer({ id: 150 });
    const read = await billing.subscriptionGroups.readSubscriptionGroup({ uid: "grp_b9fkz5jyd7tq", "include[]": ["current_billing_amount_in_cents"] });
    await expectAnswer("readSubscriptionGroup", 200, read);
    expect(read.data!.customer).toMatchObject({ first_name: "Martha", reference: "mv-0042" });
    await expectAnswer("findSubscriptionGroup", 200, await billing.subscriptionGroups.findSubscriptionGroup({ subscription_id: 222 }));
  });

  test("a group is created from subscriptions not in one; one already grouped is refused", async () => {
    const billing = statefulClient(namespace("group-create"));
    const a = await billing.subscriptions.createSubscription({ body: { subscription: { product_id: 3101, customer_id: 151, credit_card_attributes: { full_number: "1", expiration_month: 12, expiration_year: 2030 } } } });
    const b = await billing.subscriptions.createSubscription({ body: { subscription: { product_id: 3102, customer_id: 151, credit_card_attributes: { full_number: "1", expiration_month: 12, expiration_year: 2030 } } } });
    const created = await billing.subscriptionGroups.createSubscriptionGroup({
      body: { subscription_group: { subscription_id: a.data!.subscription.id, member_ids: [b.data!.subscription.id] } },
    });
    await expectAnswer("createSubscriptionGroup", 201, created);
    expect(created.data!.subscription_group).toMatchObject({ customer_id: 151, subscription_ids: [a.data!.subscription.id, b.data!.subscription.id] });
    const again = await billing.subscriptionGroups.createSubscriptionGroup({ body: { subscription_group: { subscription_id: 222 } } });
    await expectAnswer("createSubscriptionGroup", 422, again);
    const listed = await billing.subscriptionGroups.listSubscriptionGroups({});
    expect(listed.data!.meta.total_count).toBe(2);
  });
});

describe("coupons", () => {
  test("a code is unique, an archived coupon cannot be updated, and validation says why a code fails", async () => {
    const billing = statefulClient(namespace("coupon-rules"));
    await expectAnswer("createCoupon", 422, await billing.coupons.createCoupon({ product_family_id: 1702, body: { coupon: { name: "Again", code: "FOUNDERS10", percentage: 5 } } }));
    const created = await billing.coupons.createCoupon({ product_family_id: 1702, body: { coupon: { name: "Five", code: "FIVE", amount_in_cents: 500 } } });
    await expectAnswer("createCoupon", 201, created);
    expect(created.data!.coupon).toMatchObject({ code: "FIVE", discount_type: "amount", amount_in_cents: 500, product_family_id: 1702 });
    expect((await billing.coupons.validateCoupon({ code: "FIVE" })).response.status).toBe(200);
    const archived = await billing.coupons.archiveCoupon({ product_family_id: 1702, coupon_id: created.data!.coupon.id });
    await expectAnswer("archiveCoupon", 200, archived);
    expect(archived.data!.coupon.archived_at).not.toBeNull();
    await expectAnswer("updateCoupon", 422, await billing.coupons.updateCoupon({ product_family_id: 1702, coupon_id: created.data!.coupon.id, body: { coupon: { description: "x" } } }));
    const invalid = await billing.coupons.validateCoupon({ code: "FIVE" });
    expect(invalid.error!.body).toEqual({ errors: "Coupon code is invalid." });
    expect((await billing.coupons.validateCoupon({ code: "NEVER" })).error!.body).toEqual({ errors: "Coupon code could not be found." });
  });
});

describe("the portal's configurations and sessions", () => {
  test("a configuration is created with a feature on, updated, and deactivated; the default cannot be", async () => {
    const billing = statefulClient(namespace("configurations"));
    const nothing = await billing.portalSessions.createPortalConfiguration({ body: { portal_configuration: { features: { invoice_history: { enabled: false } } } } });
    await expectAnswer("createPortalConfiguration", 422, nothing);
    const created = await billing.portalSessions.createPortalConfiguration({
      body: { portal_configuration: { name: "Invoices only", features: { invoice_history: { enabled: true } } } },
    });
    await expectAnswer("createPortalConfiguration", 201, created);
    const id = created.data!.portal_configuration.id;
    expect(created.data!.portal_configuration).toMatchObject({ name: "Invoices only", active: true, is_default: false, features: { invoice_history: { enabled: true }, payment_method_update: { enabled: false } } });
    const off = await billing.portalSessions.updatePortalConfiguration({ configuration_id: id, body: { portal_configuration: { active: false } } });
    await expectAnswer("updatePortalConfiguration", 200, off);
    const active = await billing.portalSessions.listPortalConfigurations({ active: true });
    expect(active.data!.portal_configurations.map((c) => c.id)).not.toContain(id);
    await expectAnswer("updatePortalConfiguration", 422, await billing.portalSessions.updatePortalConfiguration({ configuration_id: "bpc_5kq2wz7d9r3m", body: { portal_configuration: { active: false } } }));
  });

  test("a session gets its own id and URL and expires in five minutes; it needs an enabled portal and an active configuration", async () => {
    const name = namespace("sessions");
    const billing = statefulClient(name);
    await mockControl(name).setNow("2031-03-01T10:00:00Z");
    const first = await billing.portalSessions.createPortalSession({ body: { portal_session: { customer_id: 150 } } });
    await expectAnswer("createPortalSession", 201, first);
    const second = await billing.portalSessions.createPortalSession({ body: { portal_session: { customer_id: 150 } } });
    const [a, b] = [first.data!.portal_session, second.data!.portal_session];
    expect(a.id).not.toBe(b.id);
    expect(a.url).toContain(`/sessions/${a.id}/`);
    expect(a.configuration_id).toBe("bpc_5kq2wz7d9r3m");
    expect(Date.parse(a.expires_at) - Date.parse(a.created_at)).toBe(5 * 60 * 1000);
    expect(a.created_at).toMatch(/^2031-03-01T10:00/);

    const { data } = await billing.customers.createCustomer({ body: { customer: { first_name: "No", last_name: "Portal", email: "np@example.com" } } });
    const disabled = await billing.portalSessions.createPortalSession({ body: { portal_session: { customer_id: data!.customer.id } } });
    await expectAnswer("createPortalSession", 422, disabled);
    await expectAnswer("createPortalSession", 404, await billing.portalSessions.createPortalSession({ body: { portal_session: { customer_id: 999_999 } } }));
    const config = await billing.portalSessions.createPortalConfiguration({ body: { portal_configuration: { features: { invoice_history: { enabled: true } } } } });
    const id = config.data!.portal_configuration.id;
    await billing.portalSessions.updatePortalConfiguration({ configuration_id: id, body: { portal_configuration: { active: false } } });
    const inactive = await billing.portalSessions.createPortalSession({ body: { portal_session: { customer_id: 150, configuration_id: id } } });
    expect(inactive.error!.body).toEqual({ errors: ["configuration_id: the configuration is not active"] });
  });
});

import { describe, expect, test } from "vitest";
import { expectAnswer, mockControl, namespace, sendStateful, statefulClient } from "../support/stateful.js";

// The table's plain behaviour (packages/mock/src/stateful/resources.ts): seeds, creates with fresh
// ids, reads, updates, deletes, lists and lookups, each answer checked against the spec.
describe("a fresh namespace holds the example universe", () => {
  const billing = statefulClient(namespace("seeds"));

  test("seeded ids answer with their examples", async () => {
    const martha = await billing.customers.readCustomer({ id: 150 });
    await expectAnswer("readCustomer", 200, martha);
    expect(martha.data!.customer).toMatchObject({ id: 150, first_name: "Martha", reference: "mv-0042" });
    const profile = await billing.paymentProfiles.readPaymentProfile({ payment_profile_id: 10089892 });
    expect(profile.data!.payment_profile).toMatchObject({ customer_id: 150, payment_type: "bank_account" });
    const subscription = await billing.subscriptions.readSubscription({ subscription_id: 222 });
    expect(subscription.data!.subscription).toMatchObject({ id: 222, state: "active", customer: { id: 150 } });
  });

  test.each([777, 0, -1])("customer %i is not in the store: the documented 404", async (id) => {
    const missing = await billing.customers.readCustomer({ id });
    await expectAnswer("readCustomer", 404, missing);
  });
});

describe("writes are real", () => {
  const billing = statefulClient(namespace("crud"));

  test("create, read back, update, list, look up, delete", async () => {
    const created = await billing.customers.createCustomer({
      body: { customer: { first_name: "Ada", last_name: "Lovelace", email: "ada@example.com", reference: "ada-1815" } },
    });
    await expectAnswer("createCustomer", 201, created);
    const ada = created.data!.customer;
    expect(ada.id).toBeGreaterThan(151);
    expect(ada).toMatchObject({ first_name: "Ada", organization: "Ada Lovelace", address: null, reference: "ada-1815" });
    expect(Date.parse(ada.created_at)).toBeGreaterThan(Date.now() - 60_000);

    const read = await billing.customers.readCustomer({ id: ada.id });
    expect(read.data!.customer).toEqual(ada);

    const updated = await billing.customers.updateCustomer({ id: ada.id, body: { customer: { phone: "+44 20 7946 0000" } } });
    await expectAnswer("updateCustomer", 200, updated);
    expect(updated.data!.customer).toMatchObject({ id: ada.id, first_name: "Ada", phone: "+44 20 7946 0000" });

    const found = await billing.customers.readCustomerByReference({ reference: "ada-1815" });
    expect(found.data!.customer.phone).toBe("+44 20 7946 0000");
    const searched = await billing.customers.listCustomers({ q: "lovelace" });
    expect(searched.data!.map(({ customer }) => customer.id)).toEqual([ada.id]);

    const deleted = await billing.customers.deleteCustomer({ id: ada.id });
    await expectAnswer("deleteCustomer", 204, deleted);
    await expectAnswer("readCustomer", 404, await billing.customers.readCustomer({ id: ada.id }));
    await expectAnswer("readCustomerByReference", 404, await billing.customers.readCustomerByReference({ reference: "ada-1815" }));
  });

  test("each create gets a fresh id above the seeds", async () => {
    const ids = [];
    for (const name of ["Grace", "Edsger", "Barbara"]) {
      const { data } = await billing.customers.createCustomer({ body: { customer: { first_name: name, last_name: "X", email: `${name}@example.com` } } });
      ids.push(data!.customer.id);
    }
    expect(new Set(ids).size).toBe(3);
    expect(Math.min(...ids)).toBeGreaterThan(151);
  });

  test("lists page with page and per_page, and filter", async () => {
    const all = await billing.customers.listCustomers({ per_page: 200 });
    const ids = all.data!.map(({ customer }) => customer.id);
    expect(ids.length).toBeGreaterThanOrEqual(2);
    const second = await billing.customers.listCustomers({ per_page: 1, page: 2 });
    expect(second.data!.map(({ customer }) => customer.id)).toEqual([ids[1]]);
    const past = await billing.customers.listCustomers({ per_page: 1, page: ids.length + 1 });
    expect(past.data).toEqual([]);
    const georges = await billing.paymentProfiles.listPaymentProfiles({ customer_id: 151 });
    expect(georges.data!.map(({ payment_profile }) => payment_profile.customer_id)).toEqual([151]);
  });

  test("date filters keep what the date field holds between the bounds", async () => {
    const name = namespace("dates");
    const dated = statefulClient(name);
    await mockControl(name).setNow("2031-06-15T10:00:00Z");
    const { data } = await dated.customers.createCustomer({ body: { customer: { first_name: "June", last_name: "Fifteenth", email: "june@example.com" } } });
    const onTheDay = await dated.customers.listCustomers({ start_date: "2031-06-15", end_date: "2031-06-15" });
    await expectAnswer("listCustomers", 200, onTheDay);
    expect(onTheDay.data!.map(({ customer }) => customer.id)).toEqual([data!.customer.id]);
    const before = await dated.customers.listCustomers({ end_datetime: "2031-06-15T09:59:59Z" });
    expect(before.data!.map(({ customer }) => customer.id)).not.toContain(data!.customer.id);
    const coupons = await dated.coupons.listCoupons({ "filter[codes]": "SPRING5,FOUNDERS10" });
    expect(coupons.data!.map(({ coupon }) => coupon.code).sort()).toEqual(["FOUNDERS10", "SPRING5"]);
  });

  test("subscriptions sort by a date and a direction", async () => {
    const name = namespace("sort");
    const sorting = statefulClient(name);
    // Billed next in an hour (an import synced to its schedule): before every seeded subscription.
    const { body: clock } = await mockControl(name).advance(0);
    const soon = new Date(Date.parse(String(clock!.now)) + 3_600_000).toISOString();
    const { data } = await sorting.subscriptions.createSubscription({
      body: { subscription: { product_handle: "estate-basic", customer_id: 151, next_billing_at: soon, credit_card_attributes: { full_number: "1", expiration_month: 12, expiration_year: 2030 } } },
    });
    const early = data!.subscription.id;
    const ids = async (sort: "next_assessment" | "signup_date", direction: "asc" | "desc") =>
      (await sorting.subscriptions.listSubscriptions({ sort, direction })).data!.map(({ subscription }) => subscription.id);
    expect((await ids("next_assessment", "asc"))[0]).toBe(early);
    expect((await ids("next_assessment", "desc")).at(-1)).toBe(early);
    expect((await ids("signup_date", "desc"))[0]).toBe(early);
  });

  test("Prefer still picks a documented answer: the example, not the store", async () => {
    const forced = await sendStateful(namespace("prefer"), "GET", "/customers/777.json", undefined, { Prefer: "code=200" });
    expect(forced.status).toBe(200);
    expect(forced.body.customer.id).toBe(150);
    const error = await sendStateful(namespace("prefer"), "GET", "/customers/150.json", undefined, { Prefer: "code=404" });
    expect(error).toEqual({ status: 404, body: { errors: ["Not Found"] } });
  });

  test("a customer's subscriptions reflect a new subscription, and an unknown customer has none to list", async () => {
    const { data } = await billing.customers.createCustomer({ body: { customer: { first_name: "Mary", last_name: "Somerville", email: "mary@example.com" } } });
    const id = data!.customer.id;
    expect((await billing.customers.listCustomerSubscriptions({ customer_id: id })).data).toEqual([]);
    const subscribed = await billing.subscriptions.createSubscription({ body: { subscription: { product_handle: "estate-basic", customer_id: id, credit_card_attributes: { full_number: "1", expiration_month: 12, expiration_year: 2030 } } } });
    const listed = await billing.customers.listCustomerSubscriptions({ customer_id: id });
    await expectAnswer("listCustomerSubscriptions", 200, listed);
    expect(listed.data!.map(({ subscription }) => subscription.id)).toEqual([subscribed.data!.subscription.id]);
    await expectAnswer("listCustomerSubscriptions", 404, await billing.customers.listCustomerSubscriptions({ customer_id: 999_999 }));
  });

  test("an update to a customer shows in the subscriptions that embed it", async () => {
    await billing.customers.updateCustomer({ id: 150, body: { customer: { phone: "+1 703 780 9999" } } });
    const { data } = await billing.subscriptions.readSubscription({ subscription_id: 222 });
    expect(data!.subscription.customer.phone).toBe("+1 703 780 9999");
  });
});

describe("namespaces are independent", () => {
  test("a write in one namespace is not seen in another, nor in the default one", async () => {
    const [one, two] = [namespace("ns-one"), namespace("ns-two")];
    const created = await statefulClient(one).customers.createCustomer({
      body: { customer: { first_name: "Only", last_name: "Here", email: "only@example.com", reference: "only-here" } },
    });
    const id = created.data!.customer.id;
    expect((await statefulClient(two).customers.readCustomerByReference({ reference: "only-here" })).response.status).toBe(404);
    expect((await sendStateful(two, "GET", `/customers/${id}.json`)).status).toBe(404);
    await statefulClient(two).customers.deleteCustomer({ id: 151 });
    expect((await statefulClient(one).customers.readCustomer({ id: 151 })).response.status).toBe(200);
  });

  test("a namespace name that is not a plain token is refused, saying why", async () => {
    const refused = await sendStateful("bad name!", "GET", "/customers/150.json");
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0]).toContain("Mock-Namespace");
  });
});

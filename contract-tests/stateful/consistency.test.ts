import { describe, expect, test } from "vitest";
import { expectAnswer, namespace, sendStateful, statefulClient } from "../support/stateful.js";
import { card } from "../support/time.js";

// What the API keeps consistent: nothing the mock accepts becomes a 500 later, nothing points at a
// record that is gone, and the Test Gateway and a product's requirements decide a signup.
describe("no 5xx for an accepted request", () => {
  test("a malformed email is refused (422, naming the field), on create and on update, and nothing is stored", async () => {
    const name = namespace("email");
    const created = await sendStateful(name, "POST", "/customers.json", { customer: { first_name: "A", last_name: "B", email: "not-an-email" } });
    expect(created.status).toBe(422);
    expect(created.body.errors.join(" ")).toContain("customer.email");
    const emptied = await sendStateful(name, "PUT", "/customers/150.json", { customer: { email: "" } });
    expect(emptied.status).toBe(422);
    const read = await sendStateful(name, "GET", "/customers/150.json");
    expect(read).toMatchObject({ status: 200, body: { customer: { email: "martha@example.com" } } });
    expect((await sendStateful(name, "GET", "/customers/150/subscriptions.json")).status).toBe(200);
  });

  test("a malformed email is refused where a customer is made on the way (a subscription's customer, a group's payer)", async () => {
    const name = namespace("email-on-the-way");
    const subscription = await sendStateful(name, "POST", "/subscriptions.json", {
      subscription: { product_handle: "estate-stables", customer_attributes: { first_name: "A", last_name: "B", email: "not-an-email" } },
    });
    expect(subscription.status).toBe(422);
    const group = await sendStateful(name, "POST", "/subscription_groups/signup.json", {
      subscription_group: { payer_attributes: { first_name: "A", last_name: "B", email: "not-an-email" }, subscriptions: [{ product_id: 3103, primary: true }] },
    });
    expect(group.status).toBe(422);
    expect((await sendStateful(name, "GET", "/customers.json?per_page=200")).body).toHaveLength(2);
  });

  test("a customer with subscriptions is not deleted: 422, and 222 still answers", async () => {
    const billing = statefulClient(namespace("delete-owner"));
    const refused = await billing.customers.deleteCustomer({ id: 150 });
    await expectAnswer("deleteCustomer", 422, refused);
    expect(refused.error!.body).toEqual({ errors: ["Customer cannot be deleted because it has subscriptions."] });
    for (const answer of [
      await billing.subscriptions.readSubscription({ subscription_id: 222 }),
      await billing.customers.readCustomer({ id: 150 }),
    ]) {
      expect(answer.response.status).toBe(200);
    }
    expect((await billing.customers.listCustomerSubscriptions({ customer_id: 150 })).data!.length).toBeGreaterThan(0);
  });

  test("a customer without subscriptions is deleted with its payment profiles", async () => {
    const billing = statefulClient(namespace("delete-free"));
    const { data } = await billing.customers.createCustomer({ body: { customer: { first_name: "Ada", last_name: "Lovelace", email: "ada@example.com" } } });
    const profile = await billing.paymentProfiles.createPaymentProfile({ body: { payment_profile: { customer_id: data!.customer.id, ...card("1") } } });
    await expectAnswer("deleteCustomer", 204, await billing.customers.deleteCustomer({ id: data!.customer.id }));
    await expectAnswer("readPaymentProfile", 404, await billing.paymentProfiles.readPaymentProfile({ payment_profile_id: profile.data!.payment_profile.id! }));
  });

  test("a group signup item with only custom_price is accepted", async () => {
    const answer = await sendStateful(namespace("custom-price"), "POST", "/subscription_groups/signup.json", {
      subscription_group: { payer_id: 150, payment_profile_id: 10088716, subscriptions: [{ custom_price: { price_in_cents: 9900, interval: 1, interval_unit: "month" }, primary: true }] },
    });
    expect(answer.status).toBe(201);
  });

  test("a migration by product_price_point_id alone is accepted", async () => {
    const billing = statefulClient(namespace("migrate-price-point"));
    const migrated = await billing.subscriptions.migrateSubscriptionProduct({ subscription_id: 222, body: { migration: { product_price_point_id: 8122 } } });
    await expectAnswer("migrateSubscriptionProduct", 200, migrated);
    expect(migrated.data!.subscription.product.handle).toBe("estate-gardens");
  });
});

describe("the Test Gateway and the product at signup", () => {
  test("card 3 is refused with the API's 422 and the gateway's message, and no profile is stored", async () => {
    const name = namespace("card-3");
    const billing = statefulClient(name);
    const profiles = async () => (await billing.paymentProfiles.listPaymentProfiles({ customer_id: 151 })).data!.length;
    const before = await profiles();
    const refused = await billing.subscriptions.createSubscription({ body: { subscription: { product_handle: "estate-basic", customer_id: 151, credit_card_attributes: card("3") } } });
    await expectAnswer("createSubscription", 422, refused);
    expect(refused.error!.body).toEqual({ errors: ["Bogus Gateway: Forced failure"] });
    expect(await profiles()).toBe(before);
  });

  test("a product that requires a card refuses a signup with none; a customer's card on file is used", async () => {
    const billing = statefulClient(namespace("card-required"));
    const { data } = await billing.customers.createCustomer({ body: { customer: { first_name: "Ada", last_name: "Lovelace", email: "ada@example.com" } } });
    const refused = await billing.subscriptions.createSubscription({ body: { subscription: { product_handle: "estate-basic", customer_id: data!.customer.id } } });
    await expectAnswer("createSubscription", 422, refused);
    expect(refused.error!.body).toEqual({ errors: ["Credit card: cannot be blank."] });

    const onFile = await billing.subscriptions.createSubscription({ body: { subscription: { product_handle: "estate-basic", customer_id: 150 } } });
    await expectAnswer("createSubscription", 201, onFile);
    expect(onFile.data!.subscription.payment_type).not.toBeNull();
  });
});

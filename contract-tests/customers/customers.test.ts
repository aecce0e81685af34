import { errorOf } from "@billing-api/client";
import { describe, expect, test } from "vitest";
import { contract, prefer } from "../support/contract.js";
import { send } from "@billing-api/test-support/raw";

// Customers: the typed client against the mock, one contract test per documented status that is not
// routine (401 and the shared 404 are swept in spec/routine-statuses.test.ts).
const martha = { first_name: "Martha", last_name: "Washington", email: "martha@example.com", reference: "mv-0042" };

describe("createCustomer", () => {
  contract("createCustomer", 201, "the new customer, in its wrapper", async (client) => {
    const result = await client.POST("/customers.json", { body: { customer: martha } });
    expect(result.data?.customer).toMatchObject({ id: 150, ...martha });
    return result;
  });

  contract("createCustomer", 422, "a list of messages, or a map when the wrapper is missing", async (client) => {
    const list = errorOf(await client.POST("/customers.json", { body: { customer: martha }, headers: prefer(422, "invalidFields") }));
    if (list?.status !== 422) throw new Error("expected a 422");
    expect(list.body.errors).toContain("First name: cannot be blank.");
    const result = await client.POST("/customers.json", { body: { customer: martha }, headers: prefer(422, "missingWrapper") });
    expect(errorOf(result)?.body).toEqual({ errors: { customer: "can't be blank" } });
    return result;
  });
});

describe("listCustomers", () => {
  contract("listCustomers", 200, "a bare array, filtered and paged", async (client) => {
    const result = await client.GET("/customers.json", {
      params: { query: { q: "Washington", date_field: "updated_at", start_date: "2026-11-01", direction: "asc", per_page: 50 } },
    });
    expect(result.data?.map(({ customer }) => customer.id)).toEqual([150, 151]);
    expect(result.data?.[1]?.customer.parent_id).toBe(150);
    return result;
  });
});

describe("readCustomer", () => {
  contract("readCustomer", 200, "the customer, by id", async (client) => {
    const result = await client.GET("/customers/{id}.json", { params: { path: { id: 150 } } });
    expect(result.data?.customer).toMatchObject({ id: 150, reference: "mv-0042", default_subscription_group_uid: "grp_b9fkz5jyd7tq" });
    return result;
  });
});

describe("updateCustomer", () => {
  contract("updateCustomer", 200, "only the fields given change", async (client) => {
    const result = await client.PUT("/customers/{id}.json", { params: { path: { id: 150 } }, body: { customer: { phone: "+1 703 780 2001" } } });
    expect(result.data?.customer).toMatchObject({ id: 150, phone: "+1 703 780 2001", email: "martha@example.com" });
    return result;
  });

  contract("updateCustomer", 422, "an invalid email address, refused by the request's `format: email`, naming the field", async (client) => {
    const result = await client.PUT("/customers/{id}.json", {
      params: { path: { id: 150 } },
      body: { customer: { email: "martha" } },
    });
    expect(errorOf(result)?.body).toEqual({ errors: [expect.stringContaining("customer.email")] });
    return result;
  });
});

describe("deleteCustomer", () => {
  contract("deleteCustomer", 204, "no body", async (client) => {
    return client.DELETE("/customers/{id}.json", { params: { path: { id: 151 } } });
  });

  contract("deleteCustomer", 422, "a customer with subscriptions is kept", async (client) => {
    const result = await client.DELETE("/customers/{id}.json", { params: { path: { id: 150 } }, headers: prefer(422, "hasSubscriptions") });
    expect(errorOf(result)?.body).toEqual({ errors: ["Customer cannot be deleted because it has subscriptions."] });
    return result;
  });
});

describe("readCustomerByReference", () => {
  contract("readCustomerByReference", 200, "the customer with your reference", async (client) => {
    const result = await client.GET("/customers/lookup.json", { params: { query: { reference: "mv-0042" } } });
    expect(result.data?.customer.id).toBe(150);
    return result;
  });
});


describe("customer requests", () => {
  test("a customer without an email address is refused, naming the field", async () => {
    const { status, body } = await send("POST", "/customers.json", { customer: { first_name: "Martha", last_name: "Washington" } });
    expect(status).toBe(422);
    expect(body.errors).toEqual(["Request body property customer must have required property 'email'"]);
  });

  test("a new customer with a blank first or last name is refused, as the API refuses it (\"First name: cannot be blank.\"), naming each field", async () => {
    const { status, body } = await send("POST", "/customers.json", { customer: { first_name: "", last_name: "", email: "martha@example.com" } });
    expect(status).toBe(422);
    expect(body.errors).toEqual([
      "Request body property customer.first_name cannot be blank",
      "Request body property customer.last_name cannot be blank",
    ]);
  });

  test("a customer made with a subscription or a group may not have a blank name either", async () => {
    const subscription = await send("POST", "/subscriptions.json", { subscription: { product_handle: "estate-basic", customer_attributes: { first_name: "", last_name: "Lovelace", email: "ada@example.com" } } });
    expect(subscription.status).toBe(422);
    expect(subscription.body.errors).toEqual(["Request body property subscription.customer_attributes.first_name cannot be blank"]);
    const group = await send("POST", "/subscription_groups/signup.json", {
      subscription_group: { payer_attributes: { first_name: "Ada", last_name: "", email: "ada@example.com" }, subscriptions: [{ product_id: 3101 }] },
    });
    expect(group.status).toBe(422);
    expect(JSON.stringify(group.body)).toContain("payer_attributes.last_name cannot be blank");
  });

  test("a customer sent without its wrapper is refused keyed by the wrapper, as the documented missingWrapper example is", async () => {
    const { status, body } = await send("POST", "/customers.json", martha);
    expect(status).toBe(422);
    expect(body).toEqual({ errors: { customer: "Request body must have required property 'customer'" } });
  });

  test("tax_exempt sent as a string, as forms and older clients do, is accepted", async () => {
    expect((await send("PUT", "/customers/150.json", { customer: { tax_exempt: "true" } })).status).toBe(200);
  });

  test("an unknown field is refused", async () => {
    const { status, body } = await send("PUT", "/customers/150.json", { customer: { nickname: "Patsy" } });
    expect(status).toBe(422);
    expect(JSON.stringify(body.errors)).toContain("nickname");
  });

  test("an empty update is refused", async () => {
    expect((await send("PUT", "/customers/150.json", { customer: {} })).status).toBe(422);
  });

  test("a lookup without a reference is refused", async () => {
    const { status, body } = await send("GET", "/customers/lookup.json");
    expect(status).toBe(422);
    expect(body.errors).toEqual(["Request query must have required property 'reference'"]);
  });

  test("a start_date that is not a date is refused", async () => {
    const { status } = await send("GET", "/customers.json?start_date=yesterday");
    expect(status).toBe(422);
  });
});

import { describe, expect, test } from "vitest";
import { inject } from "vitest";
import { auth } from "@billing-api/test-support/raw";
import { responseSchemaPointer, schemaErrors } from "@billing-api/test-support/spec";

// What an independent fuzzer found the mock answering outside its own document, each now refused the
// way the operation documents (and its body valid against that documented schema).

async function raw(method: string, path: string, body?: string) {
  const response = await fetch(`${inject("mockUrl")}${path}`, { method, headers: auth, body });
  return { status: response.status, allow: response.headers.get("allow"), body: JSON.parse(await response.text()) as unknown };
}

describe("mock: refusals in the documented shape", () => {
  test("a page below 1 on a list is the documented 422, naming page", async () => {
    const { status, body } = await raw("GET", "/customers.json?page=0");
    expect(status).toBe(422);
    expect(body).toEqual({ errors: ["Request query parameter page must be >= 1"] });
    expect(schemaErrors(responseSchemaPointer("listCustomers", 422, "application/json"), body)).toEqual([]);
  });

  test("a body that is not JSON is the documented 400, also when sent as another media type", async () => {
    for (const [text, type] of [["{", "application/json"], ["a=b", "application/x-www-form-urlencoded"]] as const) {
      const response = await fetch(`${inject("mockUrl")}/customers.json`, { method: "POST", headers: { ...auth, "content-type": type }, body: text });
      expect(response.status).toBe(400);
      expect(schemaErrors(responseSchemaPointer("createCustomer", 400, "application/json"), await response.json())).toEqual([]);
    }
  });

  test("add_coupon with a body that is not an object answers in its own unwrapped shape", async () => {
    const { status, body } = await raw("POST", "/subscriptions/222/add_coupon.json", "true");
    expect(status).toBe(422);
    expect(body).toEqual({ codes: ["Request body must be object"] });
    expect(schemaErrors(responseSchemaPointer("applyCouponsToSubscription", 422, "application/json"), body)).toEqual([]);
  });

  test("an unknown key in a group update answers in the update's own shape", async () => {
    const { status, body } = await raw("PUT", "/subscription_groups/grp_b9fkz5jyd7tq.json", JSON.stringify({ subscription_group: { member_ids: [223], nope: 1 } }));
    expect(status).toBe(422);
    expect(JSON.stringify(body)).toContain("nope");
    expect(schemaErrors(responseSchemaPointer("updateSubscriptionGroupMembers", 422, "application/json"), body)).toEqual([]);
  });

  test("a number in the body beyond 64 bits is refused, naming the field, as in the path and query", async () => {
    const customer = { first_name: "Ada", last_name: "Lovelace", email: "ada@example.com", parent_id: 1e29 };
    const { status, body } = await raw("POST", "/customers.json", JSON.stringify({ customer }));
    expect(status).toBe(422);
    expect(JSON.stringify(body)).toContain("customer.parent_id must fit in 64 bits");
  });

  test("integers are read as written: the largest 64-bit one is taken, one more is refused, in the body as in the path", async () => {
    const profile = (id: string) => `{"payment_profile":{"customer_id":${id},"chargify_token":"tok_w68qcpnftyv53jk33jv6wk3w"}}`;
    expect((await raw("POST", "/payment_profiles.json", profile("9223372036854775807"))).status).toBe(201);
    const refused = await raw("POST", "/payment_profiles.json", profile("9223372036854775808"));
    expect(refused.status).toBe(422);
    expect(refused.body).toEqual({ errors: ["Request body property payment_profile.customer_id must fit in 64 bits, got 9223372036854775808"] });
    const path = await raw("GET", "/payment_profiles/9223372036854775808.json");
    expect(path.status).toBe(404);
    expect(JSON.stringify(path.body)).toContain("payment_profile_id must fit in 64 bits, got 9223372036854775808");
  });

  test("the 64-bit rule holds only where the schema says integer: a large number the schema allows is taken", async () => {
    const customer = '{"customer":{"first_name":"Ada","last_name":"Lovelace","email":"ada@example.com"},"note":1e20}';
    expect((await raw("POST", "/customers.json", customer)).status).toBe(201);
  });

  test("a JSON null body is not taken for no body", async () => {
    for (const [method, path] of [["DELETE", "/subscriptions/222.json"], ["POST", "/subscriptions/222/delayed_cancel.json"], ["PUT", "/subscriptions/222/reactivate.json"]] as const) {
      const { status, body } = await raw(method, path, "null");
      expect(status, path).toBe(422);
      expect(JSON.stringify(body)).toContain("Request body must be a JSON object; it was null");
    }
  });

  test("a query parameter sent empty is refused as empty, not as missing", async () => {
    const find = await raw("GET", "/coupons/find.json?code=");
    expect(find.status).toBe(422);
    expect(find.body).toEqual({ errors: ["Request query parameter code was sent empty; give it a value or leave it out"] });
    const add = await raw("POST", "/subscriptions/222/add_coupon.json?code=");
    expect(add.status).toBe(422);
    expect(JSON.stringify(add.body)).toContain("code was sent empty");
  });

  test("PUT /subscription_groups/signup.json names no group: the update's documented 404", async () => {
    const { status, body } = await raw("PUT", "/subscription_groups/signup.json", JSON.stringify({ subscription_group: { member_ids: [223] } }));
    expect(status).toBe(404);
    expect(schemaErrors(responseSchemaPointer("updateSubscriptionGroupMembers", 404, "application/json"), body)).toEqual([]);
  });
});

import { describe, expect, inject, test } from "vitest";
import { auth, requestExamples, send } from "@billing-api/test-support/raw";

// What the mock does with the group requests the seed documents, and with the ones that break the
// rules the API enforces: each refusal names the rule.

const signup = (subscription_group: Record<string, unknown>) => send("POST", "/subscription_groups/signup.json", { subscription_group });

const payer = { payer_id: 150 };
const card = { payment_profile_id: 10088716 };
const product = (id: number, primary?: boolean) => (primary ? { product_id: id, primary } : { product_id: id });

describe("signupWithSubscriptionGroup: the seed's rules", () => {
  test.each(requestExamples("signupWithSubscriptionGroup"))("documented signup %s is accepted", async (_name, body) => {
    expect((await send("POST", "/subscription_groups/signup.json", body)).status).toBe(201);
  });

  test("two payers are refused, naming the rule and what was given", async () => {
    const { status, body } = await signup({ ...payer, payer_reference: "mv-0042", ...card, subscriptions: [product(3101)] });
    expect(status).toBe(422);
    expect(body.errors).toEqual({
      subscription_group: ["subscription_group: give exactly one of payer_id, payer_reference or payer_attributes; got payer_id and payer_reference"],
    });
  });

  test("no payer is refused", async () => {
    const { body } = await signup({ ...card, subscriptions: [product(3101)] });
    expect(JSON.stringify(body)).toContain("give exactly one of payer_id, payer_reference or payer_attributes; none was given");
  });

  test("two payment methods are refused", async () => {
    const { status, body } = await signup({ ...payer, ...card, credit_card_attributes: { chargify_token: "tok_9g6hw85pnpt6knmskpwp4ttt" }, subscriptions: [product(3101)] });
    expect(status).toBe(422);
    expect(JSON.stringify(body)).toContain(
      "give exactly one of payment_profile_id, credit_card_attributes or bank_account_attributes; got payment_profile_id and credit_card_attributes",
    );
  });

  test("two primary subscriptions are refused, naming both", async () => {
    const { status, body } = await signup({ ...payer, ...card, subscriptions: [product(3101, true), product(3102), product(3103, true)] });
    expect(status).toBe(422);
    expect(body.errors).toEqual({ subscription_group: ['subscription_group.subscriptions: at most one item may have "primary": true; items 0 and 2 do'] });
  });

  test("a product named twice is refused for that subscription, keyed by its index", async () => {
    const { status, body } = await signup({ ...payer, ...card, subscriptions: [product(3101, true), { product_id: 3102, product_handle: "estate-gardens" }] });
    expect(status).toBe(422);
    expect(body.errors).toEqual({
      subscriptions: {
        "1": { base: ["subscription_group.subscriptions.1: give at most one of product_id or product_handle; got product_id and product_handle"] },
      },
    });
  });

  test("a subscription with no product and no custom price is refused", async () => {
    const { body } = await signup({ ...payer, ...card, subscriptions: [{ primary: true }] });
    expect(JSON.stringify(body)).toContain("give at least one of product_id, product_handle, offer_id or custom_price; none was given");
  });

  test("a custom price for the product it prices is accepted (the official Custom Pricing example)", async () => {
    const custom = { product_id: 3102, custom_price: { price_in_cents: 9900, interval: 1, interval_unit: "month" } };
    expect((await signup({ ...payer, ...card, subscriptions: [product(3101, true), custom] })).status).toBe(201);
  });

  test("a custom price instead of a product is accepted, with its numbers as strings", async () => {
    const custom = { custom_price: { price_in_cents: "4900", interval: "1", interval_unit: "month" } };
    expect((await signup({ ...payer, ...card, subscriptions: [product(3101, true), custom] })).status).toBe(201);
  });
});

describe("addSubscriptionToGroup: targets", () => {
  const add = (group: unknown) => send("POST", "/subscriptions/224/group.json", { group });

  test.each(requestExamples("addSubscriptionToGroup"))("documented target %s is accepted", async (_name, body) => {
    expect((await send("POST", "/subscriptions/224/group.json", body)).status).toBe(200);
  });

  test("an unknown target type is refused, naming the types there are", async () => {
    const { status, body } = await add({ target: { type: "grandparent" } });
    expect(status).toBe(422);
    // The discriminator's five types, not the enum of whichever variant Prism reported last.
    expect(body.errors).toEqual(['group.target: type must be one of customer, subscription, self, parent, eldest; got "grandparent"']);
  });

  test("an id where it means nothing (self) is refused: the object is a customer target under the wrong type", async () => {
    const { status, body } = await add({ target: { type: "self", id: 150 } });
    expect(status).toBe(422);
    expect(body.errors).toEqual(['group.target: type is "self" but the properties are those of type "customer"']);
  });

  test("a customer target without its id is refused", async () => {
    const { body } = await add({ target: { type: "customer" } });
    expect(body.errors).toEqual(['group.target: type "customer" requires id']);
  });

  test("group: false is refused; only true stands for the defaults", async () => {
    expect((await add(false)).status).toBe(422);
  });
});

describe("the other group requests", () => {
  test.each([
    ["createSubscriptionGroup", "POST", "/subscription_groups.json"],
    ["updateSubscriptionGroupMembers", "PUT", "/subscription_groups/grp_b9fkz5jyd7tq.json"],
  ] as const)("every documented %s body is accepted", async (operationId, method, path) => {
    for (const [, body] of requestExamples(operationId)) expect((await send(method, path, body)).status).toBeLessThan(300);
  });

  test("a uid of the seed's form is accepted", async () => {
    const response = await fetch(`${inject("mockUrl")}/subscription_groups/grp_939ktzq8v4477.json`, { headers: auth });
    expect(response.status).toBe(200);
  });

  test("a member list without member_ids is refused in the operation's shape", async () => {
    const { status, body } = await send("PUT", "/subscription_groups/grp_b9fkz5jyd7tq.json", { subscription_group: {} });
    expect(status).toBe(422);
    expect(JSON.stringify(body)).toContain("must have required property 'member_ids'");
  });

  test("a create without subscription_id is refused in one of the create error's shapes", async () => {
    const { status, body } = await send("POST", "/subscription_groups.json", { subscription_group: { member_ids: [223] } });
    expect(status).toBe(422);
    // The documented schema keys only the group and its members: the message is keyed by the group.
    expect(body).toEqual({ errors: { subscription_group: "Request body property subscription_group must have required property 'subscription_id'" } });
  });

  test("include[] with a value the operation does not offer is refused, naming the ones it does", async () => {
    const response = await fetch(`${inject("mockUrl")}/subscription_groups.json?include[]=everything`, { headers: auth });
    expect(response.status).toBe(422);
    expect(await response.json()).toEqual({
      errors: ["Request query parameter include[].0 must be equal to one of the allowed values: account_balances"],
    });
  });
});

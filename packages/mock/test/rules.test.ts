import { explainedByRules, ruleViolations } from "@billing-api/mock";
import { describe, expect, test } from "vitest";

const exactlyOne = (...names: string[]) => ({ oneOf: names.map((name) => ({ required: [name] })) });
const schema = {
  type: "object",
  allOf: [exactlyOne("payer_id", "payer_reference"), exactlyOne("payment_profile_id", "credit_card_attributes")],
  properties: {
    subscriptions: {
      type: "array",
      items: { allOf: [exactlyOne("product_id", "product_handle")] },
      contains: { required: ["primary"], properties: { primary: { const: true } } },
      maxContains: 1,
    },
  },
};
const messages = (value: unknown) => ruleViolations(schema, value).map((rule) => rule.message);

describe("mock: naming the rule a request breaks", () => {
  test("exactly one of: two given, or none", () => {
    expect(messages({ payer_id: 1, payer_reference: "x", payment_profile_id: 2 })).toEqual([
      "body: give exactly one of payer_id or payer_reference; got payer_id and payer_reference",
    ]);
    expect(messages({ payer_id: 1 })).toEqual(["body: give exactly one of payment_profile_id or credit_card_attributes; none was given"]);
  });

  test("at most one primary, and the product rule inside each item, with its index", () => {
    const value = { payer_id: 1, payment_profile_id: 2, subscriptions: [{ product_id: 1, primary: true }, { primary: true }] };
    expect(messages(value)).toEqual([
      'subscriptions: at most one item may have "primary": true; items 0 and 1 do',
      "subscriptions.1: give exactly one of product_id or product_handle; none was given",
    ]);
  });

  test("a request that keeps every rule breaks none", () => {
    expect(messages({ payer_reference: "mv-0042", credit_card_attributes: {}, subscriptions: [{ product_handle: "a", primary: true }, { product_id: 2 }] })).toEqual([]);
  });

  test("the validator's own verdicts about a broken rule are dropped as explained", () => {
    const rules = ruleViolations(schema, { payer_id: 1, payer_reference: "x", payment_profile_id: 2 });
    const at = ["request", "body"];
    expect(explainedByRules({ location: at, severity: "Error", code: "oneOf", message: "must match exactly one schema in oneOf" }, rules)).toBe(true);
    expect(explainedByRules({ location: at, severity: "Error", code: "required", message: "must have required property 'credit_card_attributes'" }, rules)).toBe(true);
    expect(explainedByRules({ location: at, severity: "Error", code: "required", message: "must have required property 'subscriptions'" }, rules)).toBe(false);
  });
});

describe("mock: at least one of", () => {
  const product = { anyOf: [{ required: ["product_handle"] }, { required: ["product_id"] }] };

  test("none given is named; one or both given is fine", () => {
    expect(ruleViolations(product, {}).map((rule) => rule.message)).toEqual(["body: give at least one of product_handle or product_id; none was given"]);
    expect(ruleViolations(product, { product_id: 1 })).toEqual([]);
    expect(ruleViolations(product, { product_id: 1, product_handle: "a" })).toEqual([]);
  });
});

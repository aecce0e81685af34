import { ConformanceCheck } from "@billing-api/conformance";
import { describe, expect, test } from "vitest";

// The rules the judge names where JSON Schema's own verdict would list every branch's failures:
// "exactly one of", "at most one" (contains + maxContains), "at least one of", each said once.
// The mock refuses with these messages (the API-tag folders check them through it).

const exactlyOne = (...names: string[]) => ({ oneOf: names.map((name) => ({ required: [name] })) });
const group = {
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
const product = { anyOf: [{ required: ["product_handle"] }, { required: ["product_id"] }] };
const operation = (operationId: string, schema: unknown) => ({
  post: { operationId, requestBody: { required: true, content: { "application/json": { schema } } }, responses: { "201": { description: "Created" } } },
});
const check = new ConformanceCheck({
  openapi: "3.1.0",
  info: { title: "rules", version: "1" },
  paths: { "/groups.json": operation("createGroup", group), "/products.json": operation("createProduct", product) },
});
const messages = (operationId: string, value: unknown) => check.judgeRequest(operationId, { pathParams: {}, search: "", bodyText: JSON.stringify(value) }).map((problem) => problem.message);

describe("the judge: naming the rule a request breaks", () => {
  test("exactly one of: two given, or none", () => {
    expect(messages("createGroup", { payer_id: 1, payer_reference: "x", payment_profile_id: 2 })).toEqual([
      "body: give exactly one of payer_id or payer_reference; got payer_id and payer_reference",
    ]);
    expect(messages("createGroup", { payer_id: 1 })).toEqual(["body: give exactly one of payment_profile_id or credit_card_attributes; none was given"]);
  });

  test("two rules broken at one place are two messages", () => {
    expect(messages("createGroup", { payer_id: 1, payer_reference: "x" }).sort()).toEqual([
      "body: give exactly one of payer_id or payer_reference; got payer_id and payer_reference",
      "body: give exactly one of payment_profile_id or credit_card_attributes; none was given",
    ]);
  });

  test("at most one primary, and the product rule inside each item, with its index", () => {
    const value = { payer_id: 1, payment_profile_id: 2, subscriptions: [{ product_id: 1, primary: true }, { primary: true }] };
    expect(messages("createGroup", value).sort()).toEqual([
      'subscriptions: at most one item may have "primary": true; items 0 and 1 do',
      "subscriptions.1: give exactly one of product_id or product_handle; none was given",
    ].sort());
  });

  test("a request that keeps every rule breaks none", () => {
    expect(messages("createGroup", { payer_reference: "mv-0042", credit_card_attributes: {}, subscriptions: [{ product_handle: "a", primary: true }, { product_id: 2 }] })).toEqual([]);
  });

  test("the finding names the place of the rule, for verify and the mock alike", () => {
    const [problem] = check.judgeRequest("createGroup", { pathParams: {}, search: "", bodyText: JSON.stringify({ payer_id: 1, payment_profile_id: 2, subscriptions: [{}] }) });
    expect(problem).toMatchObject({ location: "body", field: ["subscriptions", "0"], kind: "no-variant" });
  });
});

describe("the judge: at least one of", () => {
  test("none given is named; one or both given is fine", () => {
    expect(messages("createProduct", {})).toEqual(["body: give at least one of product_handle or product_id; none was given"]);
    expect(messages("createProduct", { product_id: 1 })).toEqual([]);
    expect(messages("createProduct", { product_id: 1, product_handle: "a" })).toEqual([]);
  });
});

import { describeViolation, errorShapes, requestViolations, violationsBody } from "@billing-api/mock";
import { describe, expect, test } from "vitest";

const enumViolation = {
  location: ["request", "query", "auto_invite"],
  severity: "Error",
  code: "enum",
  message: "Request query parameter auto_invite must be equal to one of the allowed values: 0, 1",
};
const bodyViolation = {
  location: ["request", "body", "payment_profile", "expiration_month"],
  severity: "Error",
  code: "type",
  message: "must be integer",
};

describe("mock: explaining invalid requests", () => {
  test("keeps Prism's errors, drops its warnings, and locates them in the request", () => {
    const diagnostics = [
      { path: ["query", "auto_invite"], code: "enum", message: enumViolation.message, severity: 0 },
      { path: ["query", "page"], code: "deprecated", message: "page is deprecated", severity: 1 },
    ];
    expect(requestViolations(diagnostics)).toEqual([enumViolation]);
  });

  test("prefixes the JSON path only when the message does not name the field", () => {
    expect(describeViolation(enumViolation)).toBe(enumViolation.message);
    expect(describeViolation(bodyViolation)).toBe("body.payment_profile.expiration_month: must be integer");
  });

  test("tries the API's shapes in order: list, index-keyed, field map, text, keyed", () => {
    expect(errorShapes).toEqual(["list", "nested", "map", "text", "keyed"]);
  });

  test("the error-list shape", () => {
    expect(violationsBody("list", [enumViolation])).toEqual({ errors: [enumViolation.message] });
  });

  test("the string-map shape, keyed by the field as the API keys it", () => {
    expect(violationsBody("map", [bodyViolation, { ...bodyViolation, message: "must be >= 1" }])).toEqual({
      errors: { "payment_profile.expiration_month": "must be integer; must be >= 1" },
    });
  });

  test("the index-keyed shape of a group signup: per subscription, per field", () => {
    const item = { location: ["request", "body", "subscription_group", "subscriptions", "1", "product_id"], severity: "Error", message: "must be integer" };
    const group = { location: ["request", "body", "subscription_group"], severity: "Error", message: "subscription_group: give exactly one of payer_id or payer_reference; none was given" };
    expect(violationsBody("nested", [group, item, item])).toEqual({
      errors: { subscription_group: [group.message], subscriptions: { "1": { product_id: ["must be integer"] } } },
    });
  });

  test("the keyed shape of add_coupon: no errors wrapper, messages under the parameter they concern", () => {
    const codes = { location: ["request", "body", "codes"], severity: "Error", message: "Request body property codes must NOT have fewer than 1 items" };
    expect(violationsBody("keyed", [codes, enumViolation])).toEqual({ codes: [codes.message], auto_invite: [enumViolation.message] });
  });

  test("the text shape", () => {
    expect(violationsBody("text", [enumViolation, bodyViolation])).toEqual({
      errors: `${enumViolation.message} body.payment_profile.expiration_month: must be integer`,
    });
  });
});

describe("mock: a body that fits no branch of a oneOf", () => {
  test("lists each message once, the verdict first", () => {
    const unevaluated = {
      location: ["request", "body", "payment_profile"],
      severity: "Error",
      code: "unevaluatedProperties",
      message: "Request body property payment_profile must NOT have unevaluated properties: 'bank_account_number'",
    };
    const verdict = {
      location: ["request", "body", "payment_profile"],
      severity: "Error",
      code: "oneOf",
      message: "Request body property payment_profile must match exactly one schema in oneOf",
    };
    expect(violationsBody("list", [unevaluated, unevaluated, verdict])).toEqual({
      errors: [verdict.message, unevaluated.message],
    });
  });
});

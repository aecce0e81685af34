import { describeViolation, requestViolations, shapeOf, violationsBody } from "@billing-api/mock";
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

  test("answers in the documented error-list shape", () => {
    expect(shapeOf({ errors: ["Billing Portal is not enabled for this customer."] })).toBe("list");
    expect(violationsBody("list", [enumViolation])).toEqual({ errors: [enumViolation.message] });
  });

  test("answers in the documented string-map shape, keyed by the field as the API keys it", () => {
    expect(shapeOf({ errors: { payment_profile: "can't be blank" } })).toBe("map");
    expect(violationsBody("map", [bodyViolation, { ...bodyViolation, message: "must be >= 1" }])).toEqual({
      errors: { "payment_profile.expiration_month": "must be integer; must be >= 1" },
    });
  });

  test("falls back to a list when the operation documents no example", () => {
    expect(shapeOf(undefined)).toBe("list");
    expect(shapeOf("HTTP Basic: Access denied.\n")).toBe("list");
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

import { describeViolation, explainInvalidRequest, requestViolations } from "@billing-api/mock";
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
  test("reads only request-side errors from sl-violations", () => {
    const header = JSON.stringify([
      enumViolation,
      { ...enumViolation, severity: "Warning" },
      { location: ["response", "body"], severity: "Error", message: "must have required property 'url'" },
    ]);
    expect(requestViolations(header)).toEqual([enumViolation]);
    expect(requestViolations(undefined)).toEqual([]);
    expect(requestViolations("not json")).toEqual([]);
  });

  test("prefixes the JSON path only when the message does not name the field", () => {
    expect(describeViolation(enumViolation)).toBe(enumViolation.message);
    expect(describeViolation(bodyViolation)).toBe("body.payment_profile.expiration_month: must be integer");
  });

  test("keeps the documented error-list shape", () => {
    const documented = JSON.stringify({ errors: ["Billing Portal is not enabled for this customer."] });
    expect(JSON.parse(explainInvalidRequest(422, "application/json", documented, [enumViolation])!)).toEqual({
      errors: [enumViolation.message],
    });
  });

  test("keeps the documented string-map shape", () => {
    const documented = JSON.stringify({ errors: { payment_profile: "can't be blank" } });
    expect(JSON.parse(explainInvalidRequest(422, "application/json", documented, [bodyViolation])!)).toEqual({
      errors: { "body.payment_profile.expiration_month": "must be integer" },
    });
  });

  test("leaves other statuses, non-JSON bodies and valid requests alone", () => {
    expect(explainInvalidRequest(401, "application/json", "{}", [enumViolation])).toBeUndefined();
    expect(explainInvalidRequest(422, "text/plain", "nope", [enumViolation])).toBeUndefined();
    expect(explainInvalidRequest(422, "application/json", '{"errors":[]}', [])).toBeUndefined();
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
    const body = explainInvalidRequest(422, "application/json", '{"errors":["x"]}', [unevaluated, unevaluated, verdict]);
    expect(JSON.parse(body!)).toEqual({ errors: [verdict.message, unevaluated.message] });
  });
});

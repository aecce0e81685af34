import { describe, expect, inject, test } from "vitest";
import { operation } from "@billing-api/test-support/spec";
import { auth, send } from "@billing-api/test-support/raw";

// What the mock does with the request bodies the spec documents, and with ones it must refuse.


function requestExamples(operationId: string): [string, unknown][] {
  const examples = operation(operationId).operation.requestBody?.content["application/json"]?.examples ?? {};
  return Object.entries(examples).map(([name, example]) => [name, example.value]);
}

describe("createPaymentProfile request bodies", () => {
  test.each(requestExamples("createPaymentProfile"))("documented way %s is accepted", async (_name, body) => {
    expect((await send("POST", "/payment_profiles.json", body)).status).toBe(201);
  });

  test("documents every way the seed describes", () => {
    expect(requestExamples("createPaymentProfile").map(([name]) => name).sort()).toEqual([
      "achBankAccount",
      "braintreePaypalNonce",
      "chargifyToken",
      "chargifyTokenBankAccount",
      "creditCard",
      "goCardlessIban",
      "goCardlessImport",
      "goCardlessImportWithoutDigits",
      "goCardlessLocalDetails",
      "stripeBacsDirectDebit",
      "stripeBecsDirectDebit",
      "stripeSepaDirectDebit",
      "testGatewayCard",
      "vaultImport",
    ]);
  });

  test("a body that mixes card and bank fields is a 422 that names the stray fields, one message each", async () => {
    const { status, body } = await send("POST", "/payment_profiles.json", {
      payment_profile: {
        customer_id: 150,
        full_number: "4111111111111111",
        expiration_month: 10,
        expiration_year: 2030,
        bank_account_number: "111111111111",
        bank_routing_number: "021000089",
      },
    });
    expect(status).toBe(422);
    // A card (its required keys say so) with two bank keys: two defects, two messages, and no
    // verdict about the other variants.
    expect(body.errors).toEqual([
      "Request body property payment_profile must NOT have unevaluated properties: 'bank_account_number'",
      "Request body property payment_profile must NOT have unevaluated properties: 'bank_routing_number'",
    ]);
  });

  test("a card with no expiry is refused", async () => {
    const { status, body } = await send("POST", "/payment_profiles.json", {
      payment_profile: { customer_id: 150, full_number: "4111111111111111" },
    });
    expect(status).toBe(422);
    expect(body.errors).toEqual([
      "Request body property payment_profile must have required property 'expiration_month'",
      "Request body property payment_profile must have required property 'expiration_year'",
    ]);
  });

  test("a bank account with neither account number nor IBAN is refused", async () => {
    const { status, body } = await send("POST", "/payment_profiles.json", {
      payment_profile: { customer_id: 150, payment_type: "bank_account", bank_name: "Best Bank" },
    });
    expect(status).toBe(422);
    // One rule broken, said once (Prism listed a "required property" message per alternative).
    expect(body.errors).toEqual(["payment_profile: give at least one of bank_account_number, bank_iban or vault_token; none was given"]);
  });

  test("a profile with no customer_id is refused", async () => {
    const { status, body } = await send("POST", "/payment_profiles.json", {
      payment_profile: { chargify_token: "tok_w68qcpnftyv53jk33jv6wk3w" },
    });
    expect(status).toBe(422);
    expect(body.errors).toContain("Request body property payment_profile must have required property 'customer_id'");
  });

  test("a body that is not JSON is a 400 that says so", async () => {
    const response = await fetch(`${inject("mockUrl")}/payment_profiles.json`, { method: "POST", headers: auth, body: "{" });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      errors: ["The request body is not valid JSON: Expected property name or '}' in JSON at position 1."],
    });
  });
});

describe("updatePaymentProfile request bodies", () => {
  test.each(requestExamples("updatePaymentProfile"))("documented update %s is accepted", async (_name, body) => {
    expect((await send("PUT", "/payment_profiles/10089892.json", body)).status).toBe(200);
  });

  test("bank fields on an update are refused, in the operation's field-keyed shape, keyed by the field as the API keys it", async () => {
    const { status, body } = await send("PUT", "/payment_profiles/10089892.json", {
      payment_profile: { bank_account_number: "111111111111" },
    });
    expect(status).toBe(422);
    expect(body).toEqual({
      errors: {
        bank_account_number:
          "Request body property payment_profile must NOT have unevaluated properties: 'bank_account_number'",
      },
    });
  });

  test("an update without its wrapper is refused keyed by the wrapper, as the documented missingWrapper example is", async () => {
    const { status, body } = await send("PUT", "/payment_profiles/10089892.json", { full_number: "1" });
    expect(status).toBe(422);
    expect(Object.keys(body.errors)).toEqual(["payment_profile"]);
  });

  test("an empty update is refused", async () => {
    const { status } = await send("PUT", "/payment_profiles/10089892.json", { payment_profile: {} });
    expect(status).toBe(422);
  });
});

describe("other payment profile parameters", () => {
  test("per_page above 200 is accepted, as the API clamps it rather than refusing", async () => {
    const { status, body } = await send("GET", "/payment_profiles.json?per_page=500");
    expect(status).toBe(200);
    expect(Array.isArray(body)).toBe(true);
  });

  test("page 0 is refused in the API's error shape", async () => {
    const { status, body } = await send("GET", "/payment_profiles.json?page=0");
    expect(status).toBe(422);
    expect(body).toEqual({ errors: ["Request query parameter page must be >= 1"] });
  });

  test("page=Infinity is not an integer, whatever Number() says", async () => {
    const { status, body } = await send("GET", "/payment_profiles.json?page=Infinity&per_page=1e2");
    expect(status).toBe(422);
    expect(body).toEqual({
      errors: [
        'Request query parameter page must be integer, got "Infinity"',
        'Request query parameter per_page must be integer, got "1e2"',
      ],
    });
  });

  test("deposits must be whole cents", async () => {
    const { status, body } = await send("PUT", "/bank_accounts/10089892/verification.json", {
      bank_account_verification: { deposit_1_in_cents: 0.32, deposit_2_in_cents: 45 },
    });
    expect(status).toBe(422);
    expect(body.errors).toContain("Request body property bank_account_verification.deposit_1_in_cents must be integer");
  });

  test("a subscription group uid of any form is accepted: the API answers 404 only when none exists", async () => {
    const { status } = await send("DELETE", "/subscription_groups/198/payment_profiles/10089892.json");
    expect(status).toBe(204);
  });
});

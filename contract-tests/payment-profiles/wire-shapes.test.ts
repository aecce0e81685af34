import { describe, expect, inject, test } from "vitest";
import { resolve, schemaErrors } from "@billing-api/test-support/spec";

// Strict, but never stricter than the wire: what the live API sends validates as a response, what it
// accepts validates as a request, and what it refuses is still refused.

const profile = "#/components/schemas/PaymentProfile";
const martha = {
  first_name: "Martha",
  last_name: "Washington",
  customer_id: 150,
  billing_address: null,
  billing_address_2: null,
  billing_city: null,
  billing_state: null,
  billing_zip: null,
  billing_country: null,
  customer_vault_token: null,
  site_gateway_setting_id: 1,
  gateway_handle: null,
};

describe("responses as the live API sends them", () => {
  test("a card imported without digits: masked number, card type and vault token are null", () => {
    const card = { ...martha, id: 10300001, payment_type: "credit_card", masked_card_number: null, card_type: null, vault_token: null, expiration_month: 4, expiration_year: 2031, current_vault: "authorizenet" };
    expect(schemaErrors(profile, card)).toEqual([]);
  });

  test("a bank account whose bank gave no masked numbers", () => {
    const bank = { ...martha, id: 10300002, payment_type: "bank_account", vault_token: "MD000SJ1TQ9V4E", bank_name: "French Bank", masked_bank_routing_number: null, masked_bank_account_number: null, bank_account_type: "checking", bank_account_holder_type: "personal", current_vault: "gocardless" };
    expect(schemaErrors(profile, bank)).toEqual([]);
  });

  test.each(["authorizenet", "blue_snap", "bogus", "forte", "gocardless", "maxio_payments", "maxp", "stripe_connect"])(
    "every bank account vault of the official SDKs: %s",
    (vault) => {
      expect(resolve<{ enum: string[] }>("#/components/schemas/BankAccountVault").enum).toContain(vault);
    },
  );

  test.each(["braintree_blue", "paypal", "moduslink", "paypal_complete"])("every PayPal vault of the official SDKs: %s", (vault) => {
    const paypal = { ...martha, id: 10231178, payment_type: "paypal_account", vault_token: "7p4xkd2", paypal_email: "george@example.com", current_vault: vault };
    expect(schemaErrors(profile, paypal)).toEqual([]);
  });

  test("a bank account is still refused under a card vault it cannot live in", () => {
    const bank = { ...martha, id: 1, payment_type: "bank_account", vault_token: "x", bank_name: "B", masked_bank_routing_number: null, masked_bank_account_number: null, bank_account_type: "checking", bank_account_holder_type: "personal", current_vault: "checkout" };
    expect(schemaErrors(profile, bank)).not.toEqual([]);
  });
});

const auth = { Authorization: `Basic ${btoa("test-api-key:x")}`, "Content-Type": "application/json" };
async function create(payment_profile: Record<string, unknown>) {
  const response = await fetch(`${inject("mockUrl")}/payment_profiles.json`, { method: "POST", headers: auth, body: JSON.stringify({ payment_profile }) });
  return { status: response.status, body: (await response.json()) as { errors?: string[] } };
}

describe("requests as the live API takes them, and refuses them", () => {
  test("test-gateway card numbers, with expiry sent as strings", async () => {
    for (const full_number of ["1", "2", "3"]) {
      expect((await create({ customer_id: 150, full_number, expiration_month: "10", expiration_year: "2030" })).status).toBe(201);
    }
  });

  test("a card number with letters is still refused, naming the field", async () => {
    const { status, body } = await create({ customer_id: 150, full_number: "4111-abcd", expiration_month: 1, expiration_year: 2030 });
    expect(status).toBe(422);
    expect(body.errors?.join(" ")).toContain("full_number");
  });

  test("a Chargify.js token with the payment_type it holds", async () => {
    for (const payment_type of ["credit_card", "bank_account", "paypal_account", "apple_pay"]) {
      expect((await create({ customer_id: 150, chargify_token: "tok_5vwcq8tqbjm3xk7d2pnmyjzh", payment_type })).status).toBe(201);
    }
  });

  test("a token mixed with card fields is still refused", async () => {
    const { status, body } = await create({ customer_id: 150, chargify_token: "tok_5vwcq8tqbjm3xk7d2pnmyjzh", full_number: "4111111111111111" });
    expect(status).toBe(422);
    expect(body.errors?.join(" ")).toContain("full_number");
  });

  test("a bank account import without digits, but not a new account without them", async () => {
    const imported = { customer_id: 150, payment_type: "bank_account", vault_token: "MD000SJ1TQ9V4E", customer_vault_token: "CU000R3B8KN2WT", current_vault: "gocardless" };
    expect((await create(imported)).status).toBe(201);
    const { status, body } = await create({ customer_id: 150, payment_type: "bank_account", bank_name: "French Bank" });
    expect(status).toBe(422);
    // One rule, said once: the three ways to name the account (Prism listed each as missing).
    expect(body.errors).toEqual(["payment_profile: give at least one of bank_account_number, bank_iban or vault_token; none was given"]);
  });

  test("an IBAN as people write it, in groups of four, and a malformed one refused", async () => {
    const iban = (bank_iban: string) => create({ customer_id: 150, payment_type: "bank_account", bank_name: "Deutsche Bank", bank_iban });
    expect((await iban("DE89 3704 0044 0532 0130 00")).status).toBe(201);
    const { status, body } = await iban("not an iban");
    expect(status).toBe(422);
    expect(body.errors?.join(" ")).toContain("bank_iban");
  });

  test("a vault token without its vault is still refused", async () => {
    const { status, body } = await create({ customer_id: 150, payment_type: "bank_account", vault_token: "MD000SJ1TQ9V4E" });
    expect(status).toBe(422);
    expect(body.errors?.join(" ")).toContain("current_vault");
  });
});

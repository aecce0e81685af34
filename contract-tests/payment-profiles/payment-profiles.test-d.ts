import {
  createBillingClient,
  errorOf,
  type ApplePayPaymentProfile,
  type BankAccountPaymentProfile,
  type CardType,
  type CreatePaymentProfile,
  type CreditCardPaymentProfile,
  type ErrorListResponse,
  type ErrorStringMapResponse,
  type OneTimeTokenPaymentProfile,
  type PaymentProfile,
  type PaypalPaymentProfile,
  type ThreeDSecureErrorResponse,
} from "@billing-api/client";
import { describe, expectTypeOf, test } from "vitest";

const client = createBillingClient({ subdomain: "acme", apiKey: "k" });

describe("Payment Profiles types", () => {
  test("payment_type narrows the profile union", () => {
    const profile = {} as PaymentProfile;
    expectTypeOf(profile.payment_type).toEqualTypeOf<"credit_card" | "bank_account" | "paypal_account" | "apple_pay">();
    switch (profile.payment_type) {
      case "credit_card":
        expectTypeOf(profile).toEqualTypeOf<CreditCardPaymentProfile>();
        // Live responses carry null for cards imported without their digits.
        expectTypeOf(profile.masked_card_number).toEqualTypeOf<string | null>();
        expectTypeOf(profile.card_type).toEqualTypeOf<CardType | null>();
        expectTypeOf(profile.expiration_year).toEqualTypeOf<number>();
        break;
      case "bank_account":
        expectTypeOf(profile).toEqualTypeOf<BankAccountPaymentProfile>();
        expectTypeOf(profile.masked_bank_account_number).toEqualTypeOf<string | null>();
        // @ts-expect-error a bank account has no card number
        void profile.masked_card_number;
        break;
      case "paypal_account":
        expectTypeOf(profile).toEqualTypeOf<PaypalPaymentProfile>();
        expectTypeOf(profile.paypal_email).toEqualTypeOf<string>();
        break;
      case "apple_pay":
        expectTypeOf(profile).toEqualTypeOf<ApplePayPaymentProfile>();
        break;
      default:
        expectTypeOf(profile).toBeNever();
    }
  });

  test("nullable fields are typed as the API sends them", () => {
    expectTypeOf<CreditCardPaymentProfile["customer_vault_token"]>().toEqualTypeOf<string | null>();
    expectTypeOf<CreditCardPaymentProfile["billing_address_2"]>().toEqualTypeOf<string | null>();
    expectTypeOf<CreditCardPaymentProfile["gateway_handle"]>().toEqualTypeOf<string | null | undefined>();
  });

  test("list returns wrapped profiles; one-off emails and deletes return no data", async () => {
    const list = await client.GET("/payment_profiles.json", { params: { query: { per_page: 50 } } });
    // openapi-fetch's `data` is a mapped type: whole bodies are compared with toExtend.
    expectTypeOf(list.data).toExtend<{ payment_profile: PaymentProfile }[] | undefined>();
    expectTypeOf(list.data![0]!.payment_profile.payment_type).toEqualTypeOf<PaymentProfile["payment_type"]>();
    const email = await client.POST("/subscriptions/{subscription_id}/request_payment_profiles_update.json", {
      params: { path: { subscription_id: 222 } },
    });
    expectTypeOf(email.data).toEqualTypeOf<undefined>();
    const removed = await client.DELETE("/payment_profiles/{payment_profile_id}.json", {
      params: { path: { payment_profile_id: 198 } },
    });
    expectTypeOf(removed.data).toEqualTypeOf<undefined>();
  });

  test("create takes one of the documented ways and needs a customer", () => {
    const card: CreatePaymentProfile = {
      customer_id: 150,
      full_number: "4111111111111111",
      expiration_month: "04",
      expiration_year: 2030,
    };
    const token: CreatePaymentProfile = { customer_id: 150, chargify_token: "tok_w68qcpnftyv53jk33jv6wk3w" };
    void [card, token];
    // @ts-expect-error customer_id is required
    const orphan: CreatePaymentProfile = { chargify_token: "tok_w68qcpnftyv53jk33jv6wk3w" };
    // @ts-expect-error payment_type of a new bank account is bank_account
    const wrongType: CreatePaymentProfile = { customer_id: 1, payment_type: "paypal_account", bank_iban: "DE89370400440532013000" };
    void [orphan, wrongType];
    // @ts-expect-error the body needs its payment_profile wrapper
    void client.POST("/payment_profiles.json", { body: { customer_id: 150, chargify_token: "tok_w68qcpnftyv53jk33jv6wk3w" } });
  });

  test("errors are typed per operation and status", async () => {
    const created = await client.POST("/payment_profiles.json", {
      body: { payment_profile: { customer_id: 150, chargify_token: "tok_w68qcpnftyv53jk33jv6wk3w" } },
    });
    const failure = errorOf(created);
    if (failure?.status === 422) expectTypeOf(failure.body).toEqualTypeOf<ErrorListResponse | ThreeDSecureErrorResponse>();
    const updated = await client.PUT("/payment_profiles/{payment_profile_id}.json", {
      params: { path: { payment_profile_id: 1 } },
      body: { payment_profile: { billing_zip: "80302" } },
    });
    const refused = errorOf(updated);
    if (refused?.status === 422) expectTypeOf(refused.body).toEqualTypeOf<ErrorStringMapResponse>();
    expectTypeOf(refused?.status).toEqualTypeOf<400 | 401 | 404 | 422 | undefined>();
  });

  test("a one-time token holds a card or a bank account, told apart by payment_type", () => {
    const held = {} as OneTimeTokenPaymentProfile;
    if (held.payment_type === "bank_account") {
      expectTypeOf(held.masked_bank_account_number).toEqualTypeOf<string>();
      // @ts-expect-error a bank account token has no card number
      void held.masked_card_number;
    } else {
      expectTypeOf(held.payment_type).toEqualTypeOf<"credit_card">();
      expectTypeOf(held.masked_card_number).toEqualTypeOf<string>();
    }
  });
});

import { errorOf, type PaymentProfile } from "@billing-api/client";
import { describe, expect } from "vitest";
import { contract, prefer } from "../support/contract.js";

const path = "/payment_profiles.json";
const body = { payment_profile: { customer_id: 150, chargify_token: "tok_w68qcpnftyv53jk33jv6wk3w" } };

describe("createPaymentProfile", () => {
  contract("createPaymentProfile", 201, "returns the stored card", async (client) => {
    const result = await client.POST(path, { body });
    const profile: PaymentProfile | undefined = result.data?.payment_profile;
    expect(profile?.payment_type).toBe("credit_card");
    if (profile?.payment_type === "credit_card") expect(profile.masked_card_number).toBe("XXXX-XXXX-XXXX-1111");
    return result;
  });

  contract("createPaymentProfile", 404, "missing or unknown customer", async (client) => {
    const result = await client.POST(path, { body, headers: prefer(404) });
    expect(errorOf(result)?.body).toEqual({ errors: ["Customer not found"] });
    return result;
  });

  contract("createPaymentProfile", 422, "validation errors, and the 3-D Secure error", async (client) => {
    const invalid = await client.POST(path, { body, headers: prefer(422, "invalidCard") });
    const failure = errorOf(invalid);
    if (failure?.status !== 422 || "jsonapi" in failure.body) throw new Error("expected the error list");
    expect(failure.body.errors[0]).toBe("Credit card number: must be a valid credit card number.");

    const threeDSecure = await client.POST(path, { body, headers: prefer(422, "threeDSecureRequired") });
    const needs3ds = errorOf(threeDSecure);
    if (needs3ds?.status !== 422 || !("jsonapi" in needs3ds.body)) throw new Error("expected the 3-D Secure error");
    expect(needs3ds.body.errors[0]?.links.action_link).toBe(
      "https://checkout-test.chargifypay.test/3d-secure/checkout/pay_uerzhsxd5uhkbodx5jhvkg6yeu?one_time_token_id=93",
    );
    return threeDSecure;
  });
});

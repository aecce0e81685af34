import { describe, expect } from "vitest";
import { contract } from "../support/contract.js";

const path = "/payment_profiles/{payment_profile_id}.json";

describe("readPaymentProfile", () => {
  contract("readPaymentProfile", 200, "each payment type", async (client) => {
    const params = { path: { payment_profile_id: 10089892 } };
    const types = [];
    for (const example of ["bankAccount", "creditCard", "paypalAccount", "applePay"]) {
      const result = await client.GET(path, { params, headers: { Prefer: `example=${example}` } });
      types.push(result.data?.payment_profile.payment_type);
    }
    expect(types).toEqual(["bank_account", "credit_card", "paypal_account", "apple_pay"]);
    const result = await client.GET(path, { params });
    expect(result.data?.payment_profile).toMatchObject({ id: 10089892, customer_id: 150, payment_type: "bank_account" });
    return result;
  });

});

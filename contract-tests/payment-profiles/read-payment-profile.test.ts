import { describe, expect } from "vitest";
import { contract, prefer } from "../support/contract.js";

const path = "/payment_profiles/{payment_profile_id}.json";

describe("readPaymentProfile", () => {
  contract("readPaymentProfile", 200, "each payment type", async (client) => {
    const params = { path: { payment_profile_id: 10088716 } };
    const types = [];
    for (const example of ["creditCard", "bankAccount", "paypalAccount", "applePay"]) {
      const result = await client.GET(path, { params, headers: { Prefer: `example=${example}` } });
      types.push(result.data?.payment_profile.payment_type);
    }
    expect(types).toEqual(["credit_card", "bank_account", "paypal_account", "apple_pay"]);
    return client.GET(path, { params });
  });

  contract("readPaymentProfile", 401, "plain-text body", async (client) => {
    return client.GET(path, { params: { path: { payment_profile_id: 1 } }, headers: prefer(401) });
  });

  contract("readPaymentProfile", 404, "unknown profile", async (client) => {
    return client.GET(path, { params: { path: { payment_profile_id: 1 } }, headers: prefer(404) });
  });
});

import { describe, expect } from "vitest";
import { contract } from "../support/contract.js";

const path = "/payment_profiles.json";

describe("listPaymentProfiles", () => {
  contract("listPaymentProfiles", 200, "a bare array of wrapped profiles, of every type", async (client) => {
    const result = await client.GET(path, { params: { query: { page: 1, per_page: 50, customer_id: 150 } } });
    expect(result.data?.map((item) => item.payment_profile.id)).toEqual([10089892, 10088716, 10231204]);
    expect(result.data?.map((item) => item.payment_profile.payment_type)).toEqual(["bank_account", "credit_card", "apple_pay"]);
    expect(result.data?.every((item) => item.payment_profile.customer_id === 150)).toBe(true);
    return result;
  });

});

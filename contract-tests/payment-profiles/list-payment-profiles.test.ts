import { describe, expect } from "vitest";
import { contract, prefer } from "../support/contract.js";

const path = "/payment_profiles.json";

describe("listPaymentProfiles", () => {
  contract("listPaymentProfiles", 200, "a bare array of wrapped profiles", async (client) => {
    const result = await client.GET(path, { params: { query: { page: 1, per_page: 50, customer_id: 14543792 } } });
    expect(result.data?.map((item) => item.payment_profile.id)).toEqual([10089892, 10188522]);
    expect(result.data?.every((item) => item.payment_profile.payment_type === "bank_account")).toBe(true);
    return result;
  });

  contract("listPaymentProfiles", 401, "plain-text body", async (client) => {
    return client.GET(path, { headers: prefer(401) });
  });
});

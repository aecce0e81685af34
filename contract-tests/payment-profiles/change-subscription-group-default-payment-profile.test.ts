import { errorOf } from "@billing-api/client";
import { describe, expect } from "vitest";
import { contract, prefer } from "../support/contract.js";

const path = "/subscription_groups/{uid}/payment_profiles/{payment_profile_id}/change_payment_profile.json";
const params = { path: { uid: "grp_b9fkz5jyd7tq", payment_profile_id: 10089892 } };

describe("changeSubscriptionGroupDefaultPaymentProfile", () => {
  contract("changeSubscriptionGroupDefaultPaymentProfile", 201, "returns the new default", async (client) => {
    const result = await client.POST(path, { params });
    expect(result.data?.payment_profile).toMatchObject({ id: 10089892, payment_type: "bank_account" });
    return result;
  });

  contract("changeSubscriptionGroupDefaultPaymentProfile", 422, "profile of another customer", async (client) => {
    const result = await client.POST(path, { params, headers: prefer(422) });
    expect(errorOf(result)?.body).toEqual({
      errors: ["The payment profile must belong to the subscription group's customer."],
    });
    return result;
  });
});

import { errorOf } from "@billing-api/client";
import { describe, expect } from "vitest";
import { contract, prefer } from "../support/contract.js";

const path = "/subscriptions/{subscription_id}/payment_profiles/{payment_profile_id}/change_payment_profile.json";
const params = { path: { subscription_id: 222, payment_profile_id: 10089892 } };

describe("changeSubscriptionDefaultPaymentProfile", () => {
  contract("changeSubscriptionDefaultPaymentProfile", 201, "returns the new default", async (client) => {
    const result = await client.POST(path, { params });
    expect(result.data?.payment_profile.id).toBe(10089892);
    return result;
  });

  contract("changeSubscriptionDefaultPaymentProfile", 422, "already the default", async (client) => {
    const result = await client.POST(path, { params, headers: prefer(422) });
    expect(errorOf(result)?.body).toEqual({ errors: ["The payment profile is already the default for this subscription."] });
    return result;
  });
});

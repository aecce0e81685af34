import { errorOf } from "@billing-api/client";
import { describe, expect } from "vitest";
import { contract, prefer } from "../support/contract.js";

const path = "/subscriptions/{subscription_id}/request_payment_profiles_update.json";
const params = { path: { subscription_id: 222 } };

describe("sendRequestUpdatePaymentEmail", () => {
  contract("sendRequestUpdatePaymentEmail", 201, "no body", async (client) => {
    const result = await client.POST(path, { params });
    expect(result.data).toBeUndefined();
    expect(result.error).toBeUndefined();
    return result;
  });

  contract("sendRequestUpdatePaymentEmail", 422, "rate limit of 5 in 30 minutes", async (client) => {
    const result = await client.POST(path, { params, headers: prefer(422) });
    expect(errorOf(result)?.body).toEqual({ errors: ["Too many requests. You can perform 5 requests within 00:30:00"] });
    return result;
  });
});

import { errorOf } from "@billing-api/client";
import { describe, expect } from "vitest";
import { contract, prefer } from "../support/contract.js";

const path = "/payment_profiles/{payment_profile_id}.json";
const params = { path: { payment_profile_id: 10089892 } };
const body = { payment_profile: { billing_address: "789 Juniper Court", billing_address_2: null } };

describe("updatePaymentProfile", () => {
  contract("updatePaymentProfile", 200, "returns the updated profile", async (client) => {
    const result = await client.PUT(path, { params, body });
    expect(result.data?.payment_profile.id).toBe(10089892);
    return result;
  });

  contract("updatePaymentProfile", 422, "errors keyed by field", async (client) => {
    const result = await client.PUT(path, { params, body, headers: prefer(422) });
    const failure = errorOf(result);
    if (failure?.status !== 422) throw new Error(`expected a 422, got ${failure?.status}`);
    expect(failure.body.errors).toEqual({ payment_profile: "can't be blank" });
    return result;
  });
});

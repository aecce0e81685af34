import { errorOf } from "@billing-api/client";
import { describe, expect } from "vitest";
import { contract, prefer } from "../support/contract.js";

const path = "/payment_profiles/{payment_profile_id}.json";
const params = { path: { payment_profile_id: 198 } };

describe("deleteUnusedPaymentProfile", () => {
  contract("deleteUnusedPaymentProfile", 204, "no body", async (client) => {
    const result = await client.DELETE(path, { params });
    expect(result.response.headers.get("content-length") ?? "0").toBe("0");
    return result;
  });

  contract("deleteUnusedPaymentProfile", 422, "profile in use", async (client) => {
    const result = await client.DELETE(path, { params, headers: prefer(422) });
    expect(errorOf(result)?.body).toEqual({
      errors: ["This payment profile is in use by one or more subscriptions or groups and cannot be deleted."],
    });
    return result;
  });
});

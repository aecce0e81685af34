import { errorOf } from "@billing-api/client";
import { describe, expect } from "vitest";
import { contract, prefer } from "../support/contract.js";

const path = "/bank_accounts/{bank_account_id}/verification.json";
const params = { path: { bank_account_id: 10089892 } };
const body = { bank_account_verification: { deposit_1_in_cents: 32, deposit_2_in_cents: 45 } };

describe("verifyBankAccount", () => {
  contract("verifyBankAccount", 200, "returns the bank account profile", async (client) => {
    const result = await client.PUT(path, { params, body });
    expect(result.data?.payment_profile.payment_type).toBe("bank_account");
    expect(result.data?.payment_profile.current_vault).toBe("stripe_connect");
    return result;
  });

  contract("verifyBankAccount", 422, "amounts do not match", async (client) => {
    const result = await client.PUT(path, { params, body, headers: prefer(422) });
    expect(errorOf(result)?.status).toBe(422);
    return result;
  });
});

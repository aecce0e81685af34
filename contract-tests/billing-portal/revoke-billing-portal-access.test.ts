import { errorOf } from "@billing-api/client";
import { describe, expect } from "vitest";
import { contract, prefer } from "../support/contract.js";

const path = "/portal/customers/{customer_id}/invitations/revoke.json";

describe("revokeBillingPortalAccess", () => {
  contract("revokeBillingPortalAccess", 200, "returns the revoked invitation state", async (client) => {
    const result = await client.DELETE(path, { params: { path: { customer_id: 150 } } });
    expect(result.data).toEqual({ last_sent_at: "Not Invited", last_accepted_at: "Invite Revoked", uninvited_count: 8 });
    return result;
  });

  contract("revokeBillingPortalAccess", 422, "portal already disabled", async (client) => {
    const result = await client.DELETE(path, { params: { path: { customer_id: 150 } }, headers: prefer(422) });
    expect(errorOf(result)?.status).toBe(422);
    return result;
  });
});

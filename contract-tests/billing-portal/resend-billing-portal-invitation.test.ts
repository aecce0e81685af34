import { errorOf } from "@billing-api/client";
import { describe, expect } from "vitest";
import { contract, prefer } from "../support/contract.js";

const path = "/portal/customers/{customer_id}/invitations/invite.json";

describe("resendBillingPortalInvitation", () => {
  contract("resendBillingPortalInvitation", 200, "returns the invitation state", async (client) => {
    const result = await client.POST(path, { params: { path: { customer_id: 150 } } });
    expect(result.data).toMatchObject({ send_invite_link_text: "Resend Invitation", uninvited_count: 8 });
    return result;
  });

  contract("resendBillingPortalInvitation", 422, "each documented reason", async (client) => {
    const limited = await client.POST(path, {
      params: { path: { customer_id: 150 } },
      headers: prefer(422, "tooManyInvitations"),
    });
    expect(errorOf(limited)?.body).toEqual({
      errors: ["Too many requests. You can perform 5 requests within 00:30:00."],
    });
    const disabled = await client.POST(path, {
      params: { path: { customer_id: 150 } },
      headers: prefer(422, "portalDisabled"),
    });
    expect(errorOf(disabled)?.body).toEqual({ errors: ["Billing Portal is not enabled for this customer."] });
    return disabled;
  });
});

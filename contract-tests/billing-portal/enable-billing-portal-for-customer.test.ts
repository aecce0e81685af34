import { errorOf } from "@billing-api/client";
import { describe, expect } from "vitest";
import { contract, prefer } from "../support/contract.js";

const path = "/portal/customers/{customer_id}/enable.json";

describe("enableBillingPortalForCustomer", () => {
  contract("enableBillingPortalForCustomer", 200, "returns the customer with portal timestamps", async (client) => {
    const result = await client.POST(path, { params: { path: { customer_id: 150 }, query: { auto_invite: 1 } } });
    expect(result.data?.customer.id).toBe(150);
    expect(result.data?.customer.portal_customer_created_at).toBe("2026-11-20T16:40:12-05:00");
    return result;
  });

  contract("enableBillingPortalForCustomer", 422, "portal off for the site", async (client) => {
    const result = await client.POST(path, { params: { path: { customer_id: 150 } }, headers: prefer(422) });
    const failure = errorOf(result);
    if (failure?.status !== 422) throw new Error(`expected a 422, got ${failure?.status}`);
    expect(failure.body.errors).toEqual(["The Billing Portal is not enabled for this site."]);
    return result;
  });
});

import { errorOf } from "@billing-api/client";
import { describe, expect } from "vitest";
import { contract, prefer } from "../support/contract.js";

const path = "/portal/customers/{customer_id}/management_link.json";

describe("readBillingPortalLink", () => {
  contract("readBillingPortalLink", 200, "returns the unwrapped management link", async (client) => {
    const result = await client.GET(path, { params: { path: { customer_id: 150 } } });
    expect(result.data?.url).toBe("https://www.billingportal.com/manage/150/1795210812/5c0e2a97f31d48b6");
    expect(result.data?.fetch_count).toBe(1);
    return result;
  });

  contract("readBillingPortalLink", 422, "portal not enabled for the customer", async (client) => {
    const result = await client.GET(path, { params: { path: { customer_id: 150 } }, headers: prefer(422) });
    expect(errorOf(result)).toEqual({
      status: 422,
      body: { errors: ["Billing Portal is not enabled for this customer."] },
    });
    return result;
  });

  contract("readBillingPortalLink", 429, "16th fetch: when a new link is available", async (client) => {
    const result = await client.GET(path, { params: { path: { customer_id: 150 } }, headers: prefer(429) });
    const failure = errorOf(result);
    if (failure?.status !== 429) throw new Error(`expected a 429, got ${failure?.status}`);
    expect(failure.body.errors.new_link_available_at).toBe("2026-12-05T21:40:12Z");
    return result;
  });
});

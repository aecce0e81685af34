import { errorOf } from "@billing-api/client";
import { describe, expect } from "vitest";
import { contract, prefer } from "../support/contract.js";

const path = "/subscriptions/{subscription_id}/group.json";
const params = { path: { subscription_id: 224 } };

describe("addSubscriptionToGroup", () => {
  contract("addSubscriptionToGroup", 200, "settings naming who pays, or true", async (client) => {
    const withTarget = await client.POST(path, {
      params,
      body: { group: { target: { type: "subscription", id: 222 }, billing: { accrue: true, align_date: true, prorate: true } } },
    });
    expect(withTarget.data?.subscription_group.subscription_ids).toContain(224);
    return client.POST(path, { params, body: { group: true } });
  });

  contract("addSubscriptionToGroup", 422, "a target outside the hierarchy", async (client) => {
    const result = await client.POST(path, { params, body: { group: { target: { type: "customer", id: 151 } } }, headers: prefer(422) });
    expect(errorOf(result)?.status).toBe(422);
    return result;
  });
});

import { describe, expect } from "vitest";
import { contract, prefer } from "../support/contract.js";

const path = "/subscription_groups/lookup.json";
const params = { query: { subscription_id: 222 } };

describe("findSubscriptionGroup", () => {
  contract("findSubscriptionGroup", 200, "the group a subscription belongs to, unwrapped", async (client) => {
    const result = await client.GET(path, { params });
    expect(result.data?.uid).toBe("grp_b9fkz5jyd7tq");
    expect(result.data?.subscription_ids).toContain(222);
    return result;
  });

  contract("findSubscriptionGroup", 404, "a subscription in no group", async (client) => {
    return client.GET(path, { params: { query: { subscription_id: 999 } }, headers: prefer(404) });
  });
});

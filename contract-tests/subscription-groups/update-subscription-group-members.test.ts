import { errorOf } from "@billing-api/client";
import { describe, expect } from "vitest";
import { contract, prefer } from "../support/contract.js";

const path = "/subscription_groups/{uid}.json";
const params = { path: { uid: "grp_b9fkz5jyd7tq" } };

describe("updateSubscriptionGroupMembers", () => {
  contract("updateSubscriptionGroupMembers", 200, "the group with its new members", async (client) => {
    const result = await client.PUT(path, { params, body: { subscription_group: { member_ids: [222, 223] } } });
    expect(result.data?.subscription_group.subscription_ids).toEqual([222, 223]);
    return result;
  });

  contract("updateSubscriptionGroupMembers", 422, "each refused member with id, kind and message", async (client) => {
    const result = await client.PUT(path, { params, body: { subscription_group: { member_ids: [10101] } }, headers: prefer(422) });
    const failure = errorOf(result);
    if (failure?.status !== 422) throw new Error(`expected a 422, got ${failure?.status}`);
    expect(failure.body.errors.members).toEqual([{ id: 10101, type: "not_found", message: "Subscription could not be found" }]);
    return result;
  });
});

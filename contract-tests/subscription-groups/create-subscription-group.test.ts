import { errorOf } from "@billing-api/client";
import { describe, expect } from "vitest";
import { contract, prefer } from "../support/contract.js";

const path = "/subscription_groups.json";
const body = { subscription_group: { subscription_id: 222, member_ids: [223, 224] } };

describe("createSubscriptionGroup", () => {
  contract("createSubscriptionGroup", 201, "the group, in its wrapper", async (client) => {
    const result = await client.POST(path, { body });
    expect(result.data?.subscription_group).toMatchObject({ customer_id: 150, subscription_ids: [222, 223, 224] });
    expect(result.data?.subscription_group.payment_profile?.id).toBe(10088716);
    return result;
  });

  contract("createSubscriptionGroup", 422, "its three error shapes", async (client) => {
    const shapes = [];
    for (const example of ["alreadyInGroup", "memberNotFound", "missingWrapper"]) {
      const failure = errorOf(await client.POST(path, { body, headers: prefer(422, example) }));
      shapes.push(failure?.status === 422 ? failure.body.errors : undefined);
    }
    expect(shapes).toEqual(["Subscription is already in group", { members: ["not_found"] }, { subscription_group: "can't be blank" }]);
    return client.POST(path, { body, headers: prefer(422) });
  });
});

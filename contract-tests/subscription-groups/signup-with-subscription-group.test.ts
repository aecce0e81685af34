import { errorOf } from "@billing-api/client";
import { describe, expect } from "vitest";
import { contract, prefer } from "../support/contract.js";

const path = "/subscription_groups/signup.json";
const body = {
  subscription_group: {
    payer_id: 150,
    payment_profile_id: 10088716,
    subscriptions: [{ product_id: 3101, primary: true }, { product_id: 3102 }, { product_id: 3103 }],
  },
};

describe("signupWithSubscriptionGroup", () => {
  contract("signupWithSubscriptionGroup", 201, "the new group, unwrapped, with its subscriptions", async (client) => {
    const result = await client.POST(path, { body });
    expect(result.data).toMatchObject({ uid: "grp_b9fkz5jyd7tq", customer_id: 150, primary_subscription_id: 222, subscription_ids: [222, 223, 224] });
    expect(result.data?.subscriptions.map((subscription) => subscription.id)).toEqual([222, 223, 224]);
    return result;
  });

  contract("signupWithSubscriptionGroup", 422, "errors keyed by the subscription's index", async (client) => {
    const result = await client.POST(path, { body, headers: prefer(422) });
    const failure = errorOf(result);
    if (failure?.status !== 422) throw new Error(`expected a 422, got ${failure?.status}`);
    expect(failure.body.errors.subscriptions?.["0"]?.product).toEqual(["must be among the Products for this Site"]);
    return result;
  });
});

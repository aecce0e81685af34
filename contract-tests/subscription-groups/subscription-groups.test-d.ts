import {
  createBillingClient,
  errorOf,
  type AddSubscriptionToGroupRequest,
  type GroupSettings,
  type SubscriptionGroupSignupErrorResponse,
} from "@billing-api/client";
import { describe, expectTypeOf, test } from "vitest";

const client = createBillingClient({ subdomain: "acme", apiKey: "k" });

describe("Subscription Groups types", () => {
  test("group is GroupSettings or true", () => {
    expectTypeOf<AddSubscriptionToGroupRequest["group"]>().toEqualTypeOf<GroupSettings | true>();
    const settings: AddSubscriptionToGroupRequest = { group: { target: { type: "subscription", id: 222 } } };
    const defaults: AddSubscriptionToGroupRequest = { group: true };
    // @ts-expect-error only true stands for the defaults
    const no: AddSubscriptionToGroupRequest = { group: false };
    // @ts-expect-error a subscription target needs its id
    const noId: AddSubscriptionToGroupRequest = { group: { target: { type: "subscription" } } };
    // @ts-expect-error self takes no id
    const selfWithId: AddSubscriptionToGroupRequest = { group: { target: { type: "self", id: 1 } } };
    void [settings, defaults, no, noId, selfWithId];
  });

  test("the signup error body narrows by status, keyed by subscription index", async () => {
    const result = await client.POST("/subscription_groups/signup.json", {
      body: { subscription_group: { payer_id: 150, payment_profile_id: 10088716, subscriptions: [{ product_id: 3101 }] } },
    });
    const failure = errorOf(result);
    if (failure?.status === 422) {
      expectTypeOf(failure.body).toEqualTypeOf<SubscriptionGroupSignupErrorResponse>();
      expectTypeOf(failure.body.errors.subscriptions).toEqualTypeOf<{ [index: string]: { [field: string]: string[] } } | undefined>();
    }
    expectTypeOf(failure?.status).toEqualTypeOf<400 | 401 | 422 | undefined>();
    if (result.data) expectTypeOf(result.data.subscription_ids).toEqualTypeOf<number[]>();
  });

  test("include[] is typed by the values each operation offers", () => {
    void client.GET("/subscription_groups.json", { params: { query: { "include[]": ["account_balances"] } } });
    // @ts-expect-error the list offers account_balances only
    void client.GET("/subscription_groups.json", { params: { query: { "include[]": ["current_billing_amount_in_cents"] } } });
  });
});

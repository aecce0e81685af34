import { describe, expect } from "vitest";
import { contract } from "../support/contract.js";

const path = "/subscription_groups/{uid}.json";
const uid = "grp_b9fkz5jyd7tq";

describe("readSubscriptionGroup", () => {
  contract("readSubscriptionGroup", 200, "unwrapped, with include[]=current_billing_amount_in_cents", async (client) => {
    const result = await client.GET(path, { params: { path: { uid }, query: { "include[]": ["current_billing_amount_in_cents"] } } });
    expect(result.data).toMatchObject({ uid, customer_id: 150, current_billing_amount_in_cents: 11500 });
    expect(result.data?.customer).toMatchObject({ first_name: "Martha", reference: "mv-0042" });
    return result;
  });

});

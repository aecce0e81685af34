import { errorOf } from "@billing-api/client";
import { describe, expect } from "vitest";
import { contract, prefer } from "../support/contract.js";

const path = "/subscriptions/{subscription_id}/group.json";

describe("removeSubscriptionFromGroup", () => {
  contract("removeSubscriptionFromGroup", 204, "no body", async (client) => {
    return client.DELETE(path, { params: { path: { subscription_id: 224 } } });
  });

  contract("removeSubscriptionFromGroup", 422, "the primary, while others remain", async (client) => {
    const result = await client.DELETE(path, { params: { path: { subscription_id: 222 } }, headers: prefer(422) });
    expect(errorOf(result)?.body).toEqual({ errors: ["You can not remove primary subscription when there are others in group"] });
    return result;
  });
});

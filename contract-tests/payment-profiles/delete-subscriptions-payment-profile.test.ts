import { describe } from "vitest";
import { contract } from "../support/contract.js";

const path = "/subscriptions/{subscription_id}/payment_profiles/{payment_profile_id}.json";
const params = { path: { subscription_id: 222, payment_profile_id: 198 } };

describe("deleteSubscriptionsPaymentProfile", () => {
  contract("deleteSubscriptionsPaymentProfile", 204, "no body", async (client) => {
    return client.DELETE(path, { params });
  });

});

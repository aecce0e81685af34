import { describe } from "vitest";
import { contract, prefer } from "../support/contract.js";

const path = "/subscriptions/{subscription_id}/payment_profiles/{payment_profile_id}.json";
const params = { path: { subscription_id: 222, payment_profile_id: 198 } };

describe("deleteSubscriptionsPaymentProfile", () => {
  contract("deleteSubscriptionsPaymentProfile", 204, "no body", async (client) => {
    return client.DELETE(path, { params });
  });

  contract("deleteSubscriptionsPaymentProfile", 401, "plain-text body", async (client) => {
    return client.DELETE(path, { params, headers: prefer(401) });
  });

  contract("deleteSubscriptionsPaymentProfile", 404, "unknown subscription or profile", async (client) => {
    return client.DELETE(path, { params, headers: prefer(404) });
  });
});

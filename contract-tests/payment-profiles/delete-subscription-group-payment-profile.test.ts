import { describe } from "vitest";
import { contract } from "../support/contract.js";

const path = "/subscription_groups/{uid}/payment_profiles/{payment_profile_id}.json";
const params = { path: { uid: "grp_b9fkz5jyd7tq", payment_profile_id: 198 } };

describe("deleteSubscriptionGroupPaymentProfile", () => {
  contract("deleteSubscriptionGroupPaymentProfile", 204, "no body", async (client) => {
    return client.DELETE(path, { params });
  });

});

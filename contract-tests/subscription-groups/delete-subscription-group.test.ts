import { errorOf } from "@billing-api/client";
import { describe, expect } from "vitest";
import { contract, prefer } from "../support/contract.js";

const path = "/subscription_groups/{uid}.json";
const params = { path: { uid: "grp_b9fkz5jyd7tq" } };

describe("deleteSubscriptionGroup", () => {
  contract("deleteSubscriptionGroup", 200, "a body, unwrapped, unlike most deletes", async (client) => {
    const result = await client.DELETE(path, { params });
    expect(result.data).toEqual({ uid: "grp_b9fkz5jyd7tq", deleted: true });
    return result;
  });

  contract("deleteSubscriptionGroup", 422, "a group that still has members", async (client) => {
    const result = await client.DELETE(path, { params, headers: prefer(422) });
    expect(errorOf(result)?.body).toEqual({ errors: ["Only groups without members can be deleted."] });
    return result;
  });
});

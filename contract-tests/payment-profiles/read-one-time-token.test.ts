import { errorOf } from "@billing-api/client";
import { describe, expect } from "vitest";
import { contract, prefer } from "../support/contract.js";

const path = "/one_time_tokens/{chargify_token}.json";
const params = { path: { chargify_token: "tok_9g6hw85pnpt6knmskpwp4ttt" } };

describe("readOneTimeToken", () => {
  contract("readOneTimeToken", 200, "the card behind an unused token", async (client) => {
    const result = await client.GET(path, { params });
    expect(result.data?.payment_profile).toMatchObject({ id: null, customer_id: null, masked_card_number: "XXXX-XXXX-XXXX-4242" });
    return result;
  });

  contract("readOneTimeToken", 404, "an error list, unlike most 404s", async (client) => {
    const result = await client.GET(path, { params, headers: prefer(404) });
    expect(errorOf(result)).toEqual({ status: 404, body: { errors: ["Chargify token not found"] } });
    return result;
  });
});

import { describe, expect } from "vitest";
import { contract } from "../support/contract.js";

const path = "/subscription_groups.json";

describe("listSubscriptionGroups", () => {
  contract("listSubscriptionGroups", 200, "groups and meta, with include[]=account_balances", async (client) => {
    const sent: string[] = [];
    const result = await client.GET(path, {
      params: { query: { page: 1, per_page: 50, "include[]": ["account_balances"] } },
      fetch: async (request: Request) => {
        sent.push(request.url);
        return fetch(request);
      },
    });
    // The client sends Rails brackets, and the mock validates and answers them.
    expect(new URL(sent[0]!).search).toBe("?page=1&per_page=50&include[]=account_balances");
    expect(result.data?.meta).toEqual({ current_page: 1, total_count: 1 });
    expect(result.data?.subscription_groups[0]?.account_balances?.prepayments?.balance_in_cents).toBe(0);
    return result;
  });

});

import { describe, expect } from "vitest";
import { contract, prefer } from "../support/contract.js";

/** A named method's result as the contract check takes it: the error's body, not `{ status, body }`. */
const checked = <R extends { error?: { body: unknown } | undefined; response: Response }>(result: R) => ({ ...result, error: result.error?.body });

// The webhook management operations: the typed client's named methods against the mock, one
// contract test per documented status that is not routine (401, 404, the malformed-body 400 and
// the query 422 are swept in spec/routine-statuses.test.ts). Delivery itself is tested in
// webhooks/delivery.test.ts.
const endpoint = { url: "https://hooks.mountvernon.example/billing", webhook_subscriptions: ["signup_success", "customer_create"] as const };

describe("listWebhooks", () => {
  contract("listWebhooks", 200, "wrapped webhooks, each with its form body and signatures", async (client) => {
    const result = await client.webhooks.listWebhooks({ order: "newest_first", per_page: 50 });
    const first = result.data?.[0]?.webhook;
    expect(first?.body).toMatch(/^id=\d+&event=[a-z_]+&payload%5Bsite%5D%5Bid%5D=/);
    expect(first?.signature_hmac_sha_256).toMatch(/^[0-9a-f]{64}$/);
    return result;
  });
});

describe("enableWebhooks", () => {
  contract("enableWebhooks", 200, "the new setting", async (client) => {
    const result = await client.webhooks.enableWebhooks({ body: { webhooks_enabled: true } });
    expect(result.data).toEqual({ webhooks_enabled: true });
    return result;
  });

  contract("enableWebhooks", 422, "a body without the setting", async (client) => {
    const result = await client.webhooks.enableWebhooks({ body: { webhooks_enabled: "yes" as unknown as boolean } });
    expect(result.error?.status).toBe(422);
    expect(JSON.stringify(result.error?.body)).toContain("webhooks_enabled");
    return checked(result);
  });
});

describe("replayWebhooks", () => {
  contract("replayWebhooks", 200, "queued, answered at once", async (client) => {
    const result = await client.webhooks.replayWebhooks({ body: { ids: [141769001, 141769003] } });
    expect(result.data).toEqual({ status: "ok" });
    return result;
  });

  contract("replayWebhooks", 422, "more than 1,000 ids", async (client) => {
    const ids = Array.from({ length: 1001 }, (_, index) => 141769001 + index);
    const result = await client.webhooks.replayWebhooks({ body: { ids } });
    expect(result.error?.status).toBe(422);
    expect(JSON.stringify(result.error?.body)).toContain("ids");
    return checked(result);
  });
});

describe("createEndpoint", () => {
  contract("createEndpoint", 201, "the endpoint, in its wrapper", async (client) => {
    const result = await client.webhooks.createEndpoint({ body: { endpoint: { ...endpoint, webhook_subscriptions: [...endpoint.webhook_subscriptions] } } });
    expect(result.data?.endpoint).toMatchObject({ url: endpoint.url, status: "enabled" });
    return result;
  });

  contract("createEndpoint", 422, "an event key that does not exist", async (client) => {
    const body = { endpoint: { url: endpoint.url, webhook_subscriptions: ["signup_sucess" as "signup_success"] } };
    const result = await client.webhooks.createEndpoint({ body });
    expect(result.error?.status).toBe(422);
    expect(JSON.stringify(result.error?.body)).toContain("webhook_subscriptions");
    return checked(result);
  });
});

describe("listEndpoints", () => {
  contract("listEndpoints", 200, "a bare array of endpoints", async (client) => {
    const result = await client.webhooks.listEndpoints();
    expect(result.data?.[0]).toMatchObject({ id: 41, status: "enabled" });
    return result;
  });
});

describe("updateEndpoint", () => {
  contract("updateEndpoint", 200, "the endpoint with its new list of events", async (client) => {
    const body = { endpoint: { url: endpoint.url, webhook_subscriptions: [...endpoint.webhook_subscriptions, "refund_success" as const] } };
    const result = await client.webhooks.updateEndpoint({ endpoint_id: 41, body });
    expect(result.data?.endpoint.id).toBe(41);
    return result;
  });

  contract("updateEndpoint", 422, "a URL that is not http or https", async (client) => {
    const result = await client.webhooks.updateEndpoint(
      { endpoint_id: 41, body: { endpoint: { ...endpoint, webhook_subscriptions: [...endpoint.webhook_subscriptions] } } },
      { headers: prefer(422, "invalidUrl") },
    );
    expect(result.error?.body).toEqual({ errors: ["URL: invalid, only http and https supported"] });
    return checked(result);
  });
});

import { createBillingClient } from "@billing-api/client";
import { describe, expect, inject, test } from "vitest";
import { mockControl, namespace, statefulClient } from "../support/stateful.js";

// The client's retries against the mock's rate limit: a 429 whose body says when the next link can
// be had (15 days away) is beyond any retry budget, so it is sent once and carries that time.
describe("readBillingPortalLink's 429 through the client", () => {
  test("against the stateful mock, the 16th management link fetch is sent once and its error carries new_link_available_at", async () => {
    const name = namespace("retry-at");
    const setup = statefulClient(name);
    const created = await setup.customers.createCustomer({ body: { customer: { first_name: "Ada", last_name: "Lovelace", email: "ada@example.com" } } });
    const customer_id = created.data!.customer.id;
    await setup.billingPortal.enableBillingPortalForCustomer({ customer_id });
    let first;
    for (let fetch = 1; fetch <= 15; fetch++) {
      const { data } = await setup.billingPortal.readBillingPortalLink({ customer_id });
      first ??= data!;
      await mockControl(name).advance(60);
    }
    // A client with the default retries, on the mock's clock (15 minutes after the link was made).
    const sent: string[] = [];
    const billing = createBillingClient({
      baseUrl: inject("statefulMockUrl"),
      apiKey: "test-api-key",
      headers: { "Mock-Namespace": name },
      fetch: (request) => (sent.push(request.url), fetch(request)),
      now: () => Date.parse(first!.created_at) + 15 * 60_000,
      sleep: async () => undefined,
    });
    const { error } = await billing.billingPortal.readBillingPortalLink({ customer_id });
    expect(sent).toHaveLength(1);
    expect(error?.status).toBe(429);
    expect(error?.retryAt).toEqual(new Date(first!.new_link_available_at));
  });
});

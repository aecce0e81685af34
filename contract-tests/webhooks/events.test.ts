import { createServer } from "node:http";
import { createBillingClient } from "@billing-api/client";
import { listen } from "@billing-api/cli-kit";
import { eventRules, startMock, type MockServer } from "@billing-api/mock";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { document, exampleCall } from "@billing-api/test-support/spec";
import { namedMethod } from "../support/named-method.js";

// Every operation of the events table (packages/mock/src/stateful/events.ts), called with its
// documented example on the stateful mock: the events it emits are built from the store, judged by
// the spec's webhooks before sending (none is held back for breaking it) and delivered.
const expected: Record<string, string[]> = {
  createCustomer: ["customer_create"],
  updateCustomer: ["customer_update"],
  createSubscription: ["signup_success", "payment_success"],
  signupWithSubscriptionGroup: ["signup_success", "signup_success"],
  updateSubscription: ["billing_date_change"],
  cancelSubscription: ["subscription_state_change"],
  reactivateSubscription: ["subscription_state_change", "payment_success"],
  initiateDelayedCancellation: ["pending_cancellation_change"],
  cancelDelayedCancellation: ["pending_cancellation_change"],
  migrateSubscriptionProduct: ["upgrade_downgrade_success", "payment_success"],
  createSubscriptionCharge: ["payment_success"],
  refundSubscriptionPayment: ["refund_success"],
  changeSubscriptionDefaultPaymentProfile: ["subscription_card_update"],
  changeSubscriptionGroupDefaultPaymentProfile: ["subscription_group_card_update"],
};

// Where the documented example would be refused in a seeded store (a taken reference, a product the
// seeds do not hold) or change nothing (a migration to the product it is on), another call.
const calls: Record<string, Record<string, unknown>> = {
  createCustomer: { body: { customer: { first_name: "Ada", last_name: "Lovelace", email: "ada@example.com", reference: "ada-1815" } } },
  signupWithSubscriptionGroup: { body: { subscription_group: { payment_profile_id: 10088716, payer_id: 150, subscriptions: [{ product_id: 3101, primary: true }, { product_id: 3102 }] } } },
  migrateSubscriptionProduct: { subscription_id: 222, body: { migration: { product_handle: "estate-gardens" } } },
};

describe("the events table", () => {
  let mock: MockServer;
  let hooks: { url: string; count: number; close(): void };

  beforeAll(async () => {
    let count = 0;
    const server = createServer((req, res) => req.resume().on("end", () => (count++, res.writeHead(200).end())));
    const url = await listen(server, 0, "127.0.0.1");
    hooks = { url, get count() { return count; }, close: () => void server.close() };
    mock = await startMock({ port: 0, stateful: true, webhooks: { url } });
  });
  afterAll(async () => {
    await mock?.close();
    hooks?.close();
  });

  test("names only documented operations and events", () => {
    const events = Object.keys(document.webhooks as object);
    expect(Object.keys(eventRules).sort()).toEqual(Object.keys(expected).sort());
    expect(Object.values(expected).flat().filter((event) => !events.includes(event))).toEqual([]);
  });

  test.each(Object.entries(expected))("%s emits %j, each a valid payload, sent", async (operationId, events) => {
    const namespace = `events-${operationId}`;
    const billing = createBillingClient({ baseUrl: mock.url, apiKey: "test", headers: { "Mock-Namespace": namespace }, retry: false });
    const args = calls[operationId] ?? exampleCall(operationId).args;
    if (operationId === "reactivateSubscription") await billing.subscriptions.cancelSubscription({ subscription_id: 222, body: {} });
    if (operationId === "cancelDelayedCancellation") await billing.subscriptions.initiateDelayedCancellation({ subscription_id: 222, body: {} });
    const before = (await mock.webhooks(namespace)).length;
    const result = await namedMethod(billing, operationId)(args);
    expect(result.error, JSON.stringify(result.error)).toBeUndefined();
    let sent = (await mock.webhooks(namespace)).slice(before);
    expect(sent.map(({ event }) => event)).toEqual(events);
    expect(sent.flatMap(({ problems }) => problems ?? [])).toEqual([]);
    while (sent.some(({ status }) => status !== "successful")) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      sent = (await mock.webhooks(namespace)).slice(before);
    }
  });
});

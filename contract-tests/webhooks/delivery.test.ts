import { createServer } from "node:http";
import { createBillingClient, parseWebhook, type Webhook } from "@billing-api/client";
import { listen } from "@billing-api/cli-kit";
import { WebhookCheck } from "@billing-api/conformance";
import { defaultSharedKey, startMock, type MockServer } from "@billing-api/mock";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { document } from "@billing-api/test-support/spec";
import { webhookReceiver as receiver, type Delivery } from "@billing-api/test-support/webhook-receiver";

// A team's test of its webhook handler against the stateful mock: an endpoint registered through the
// API (a local receiver on 127.0.0.1), a signup, and the webhooks it brings, signed, in order, each
// accepted by parseWebhook and by the spec's judge; a receiver that fails gets the same webhook
// again once the namespace's clock passes the retry time; replay and the delivery log.
/** Waits until the mock has recorded `count` attempts of the namespace's first webhook (the receiver sees each a moment earlier). */
async function recorded(mock: MockServer, namespace: string, count: number) {
  for (;;) {
    const [webhook] = await mock.webhooks(namespace);
    if (webhook && webhook.attempts.length >= count) return webhook;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const parse = (delivery: Delivery, sharedKey = defaultSharedKey) => parseWebhook({ body: delivery.body, headers: delivery.headers as Record<string, string>, sharedKey });

describe("the stateful mock sends webhooks", () => {
  let mock: MockServer;
  const check = new WebhookCheck(document as unknown as Record<string, unknown>);

  beforeAll(async () => {
    mock = await startMock({ port: 0, stateful: true });
  });
  afterAll(async () => {
    await mock?.close();
  });

  test("a signup through the API brings customer_create then signup_success, signed, valid, parsed by parseWebhook", async () => {
    const hooks = await receiver();
    const billing = createBillingClient({ baseUrl: mock.url, apiKey: "test", headers: { "Mock-Namespace": "signup" } });
    const endpoint = await billing.webhooks.createEndpoint({ body: { endpoint: { url: hooks.url, webhook_subscriptions: ["customer_create", "signup_success"] } } });
    expect(endpoint.data?.endpoint).toMatchObject({ url: hooks.url, status: "enabled" });

    const signup = await billing.subscriptions.createSubscription({
      body: { subscription: { product_handle: "estate-basic", customer_attributes: { first_name: "Ada", last_name: "Lovelace", email: "ada@example.com", reference: "ada-1815" }, credit_card_attributes: { full_number: "1", expiration_month: 12, expiration_year: 2030 } } },
    });
    expect(signup.error?.body).toBeUndefined();
    const subscription = signup.data!.subscription;
    const [created, signedUp] = await hooks.until(2);
    const webhooks: Webhook[] = [await parse(created!), await parse(signedUp!)];
    expect(webhooks.map(({ event }) => event)).toEqual(["customer_create", "signup_success"]);
    const [customerCreate, signupSuccess] = webhooks;
    if (customerCreate?.event !== "customer_create" || signupSuccess?.event !== "signup_success") throw new Error("unexpected events");
    expect(customerCreate.payload.customer).toMatchObject({ id: String(subscription.customer.id), email: "ada@example.com", reference: "ada-1815" });
    expect(signupSuccess.payload.subscription).toMatchObject({ id: String(subscription.id), state: "active", customer: { email: "ada@example.com" }, product: { handle: "estate-basic" } });
    expect(signupSuccess.payload.site).toEqual({ id: "4150", subdomain: "acme" });
    expect(signupSuccess.payload.subscription.created_at).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d -0500$/);
    for (const delivery of [created!, signedUp!]) {
      expect(delivery.headers["content-type"]).toBe("application/x-www-form-urlencoded");
      expect(delivery.headers["x-chargify-webhook-id"]).toBe(new URLSearchParams(delivery.body).get("id"));
      expect(check.check({ headers: delivery.headers as Record<string, string>, body: delivery.body }, defaultSharedKey).violations).toEqual([]);
    }
    // A changed byte, or another key, and parseWebhook refuses it.
    await expect(parse({ ...created!, body: created!.body.replace("Ada", "Adb") })).rejects.toMatchObject({ name: "WebhookSignatureError" });
    await expect(parse(created!, "another-shared-key")).rejects.toMatchObject({ name: "WebhookSignatureError" });

    const logged = await billing.webhooks.listWebhooks({ order: "oldest_first" });
    expect(logged.data?.map(({ webhook }) => [webhook.event, webhook.successful])).toEqual([["customer_create", true], ["signup_success", true]]);
    expect(logged.data?.[1]?.webhook.body).toBe(signedUp!.body);
    await hooks.close();
  });

  test("a signup the gateway declines (a card ending in 3) brings customer_create then signup_failure: the subscription as refused, kept nowhere", async () => {
    const hooks = await receiver();
    const billing = createBillingClient({ baseUrl: mock.url, apiKey: "test", headers: { "Mock-Namespace": "declined" }, retry: false });
    await billing.webhooks.createEndpoint({ body: { endpoint: { url: hooks.url, webhook_subscriptions: ["customer_create", "signup_success", "signup_failure"] } } });

    const declined = await billing.subscriptions.createSubscription({
      body: { subscription: { product_handle: "estate-basic", customer_attributes: { first_name: "Ada", last_name: "Lovelace", email: "ada@example.com" }, credit_card_attributes: { full_number: "4111111111111113", expiration_month: 12, expiration_year: 2030 } } },
    });
    expect(declined.error?.status).toBe(422);
    expect(declined.error?.body).toEqual({ errors: ["Bogus Gateway: Forced failure"] });
    const [created, failed] = await hooks.until(2);
    const [customerCreate, signupFailure] = [await parse(created!), await parse(failed!)];
    if (customerCreate?.event !== "customer_create" || signupFailure?.event !== "signup_failure") throw new Error(`unexpected events: ${customerCreate?.event}, ${signupFailure?.event}`);
    expect(check.check({ headers: failed!.headers as Record<string, string>, body: failed!.body }, defaultSharedKey).violations).toEqual([]);
    const refused = signupFailure.payload.subscription;
    expect(refused).toMatchObject({ state: "failed_to_create", total_revenue_in_cents: "0", activated_at: "", customer: { id: customerCreate.payload.customer.id, email: "ada@example.com" }, product: { handle: "estate-basic" } });
    expect(refused.credit_card).toMatchObject({ masked_card_number: "XXXX-XXXX-XXXX-1113", expiration_year: "2030" });
    // The refused subscription's id is used up and answers nothing; the customer the call made stays.
    expect((await billing.subscriptions.readSubscription({ subscription_id: Number(refused.id) })).error?.status).toBe(404);
    expect((await billing.customers.readCustomer({ id: Number(customerCreate.payload.customer.id) })).data?.customer.email).toBe("ada@example.com");
    expect(await billing.paymentProfiles.listPaymentProfiles({ customer_id: Number(customerCreate.payload.customer.id) })).toMatchObject({ data: [] });

    // Card 1, for the same customer: a new subscription, signup_success.
    const accepted = await billing.subscriptions.createSubscription({
      body: { subscription: { product_handle: "estate-basic", customer_id: Number(customerCreate.payload.customer.id), credit_card_attributes: { full_number: "1", expiration_month: 12, expiration_year: 2030 } } },
    });
    expect(accepted.data?.subscription.id).toBeGreaterThan(Number(refused.id));
    const [, , succeeded] = await hooks.until(3);
    expect((await parse(succeeded!)).event).toBe("signup_success");
    await hooks.close();
  });

  test("the time step's webhooks arrive: a renewal on card 1, and on card 2 the failed payment, past_due and dunning's first steps, with the transaction and the dunner", async () => {
    const hooks = await receiver();
    const namespace = "time-step-webhooks";
    const billing = createBillingClient({ baseUrl: mock.url, apiKey: "test", headers: { "Mock-Namespace": namespace }, retry: false });
    await billing.webhooks.createEndpoint({
      body: { endpoint: { url: hooks.url, webhook_subscriptions: ["renewal_success", "renewal_failure", "payment_success", "payment_failure", "subscription_state_change", "dunning_step_reached"] } },
    });
    const signUp = async (number: string) => {
      const created = await billing.subscriptions.createSubscription({ body: { subscription: { product_handle: "estate-basic", customer_id: 150, credit_card_attributes: { full_number: number, expiration_month: 12, expiration_year: 2030 } } } });
      return created.data!.subscription;
    };
    const [good, bad] = [await signUp("1"), await signUp("2")];
    // Past the renewal and dunning's first retry (three days later).
    await mock.clock.advance(Math.ceil((Date.parse(good.current_period_ends_at!) - (await mock.clock.now(namespace)).getTime()) / 1000) + 4 * 86_400, namespace);

    const of = async (subscription: { id: number }) => {
      const webhooks = await Promise.all(hooks.deliveries.map((delivery) => parse(delivery)));
      return webhooks.filter((webhook) => "subscription" in webhook.payload && webhook.payload.subscription.id === String(subscription.id));
    };
    await expect.poll(async () => (await of(bad)).length).toBe(6);
    // The signup's payment, then the renewal and its payment.
    const paid = await of(good);
    expect(paid.map(({ event }) => event)).toEqual(["payment_success", "renewal_success", "payment_success"]);
    const memos = paid.map((webhook) => (webhook.event === "payment_success" ? webhook.payload.transaction.memo : undefined));
    expect(memos).toEqual(["Martha Washington - Estate care, basic: Signup payment", undefined, "Martha Washington - Estate care, basic: Renewal payment"]);
    const failed = await of(bad);
    expect(failed.map(({ event }) => event)).toEqual(["renewal_failure", "payment_failure", "subscription_state_change", "dunning_step_reached", "payment_failure", "dunning_step_reached"]);
    for (const delivery of hooks.deliveries) expect(check.check({ headers: delivery.headers as Record<string, string>, body: delivery.body }, defaultSharedKey).violations).toEqual([]);
    const [, payment, , firstStep, retry, secondStep] = failed;
    if (payment?.event !== "payment_failure" || retry?.event !== "payment_failure") throw new Error("expected payment_failure");
    expect(payment.payload.transaction).toMatchObject({ subscription_id: String(bad.id), success: "false", amount_in_cents: "4900", card_number: "XXXX-XXXX-XXXX-2" });
    expect(Number(retry.payload.transaction.id)).toBeGreaterThan(Number(payment.payload.transaction.id));
    if (firstStep?.event !== "dunning_step_reached" || secondStep?.event !== "dunning_step_reached") throw new Error("expected dunning_step_reached");
    expect(firstStep.payload.current_step).toMatchObject({ day_threshold: "0", action: "retry_payment" });
    expect(secondStep.payload.current_step.day_threshold).toBe("3");
    // One dunning, one dunner: both steps name it.
    expect(secondStep.payload.dunner.id).toBe(firstStep.payload.dunner.id);
    expect((await mock.webhooks(namespace)).filter(({ status }) => status === "failed")).toEqual([]);
    await hooks.close();
  });

  test("a receiver answering 500 gets the same webhook id again once the clock passes the retry time; a replay sends it once more", async () => {
    let status = 500;
    const hooks = await receiver(() => status);
    const namespace = "retries";
    const billing = createBillingClient({ baseUrl: mock.url, apiKey: "test", headers: { "Mock-Namespace": namespace }, retry: false });
    await billing.webhooks.createEndpoint({ body: { endpoint: { url: hooks.url, webhook_subscriptions: ["customer_update"] } } });
    await billing.customers.updateCustomer({ id: 150, body: { customer: { phone: "+1 703 780 2001" } } });

    const [first] = await hooks.until(1);
    await recorded(mock, namespace, 1);
    const failed = await billing.webhooks.listWebhooks({ status: "pending" });
    expect(failed.data?.[0]?.webhook).toMatchObject({ event: "customer_update", successful: false, last_error: "500 Internal Server Error (retry 1 of 5)" });
    expect(hooks.deliveries).toHaveLength(1);

    status = 200;
    await mock.clock.advance(11, namespace); // the first retry is 10 s after the failure
    const [, retried] = await hooks.until(2);
    expect(retried!.headers["x-chargify-webhook-id"]).toBe(first!.headers["x-chargify-webhook-id"]);
    expect(retried!.body).toBe(first!.body);
    expect((await parse(retried!)).event).toBe("customer_update");

    const id = Number(first!.headers["x-chargify-webhook-id"]);
    expect((await billing.webhooks.replayWebhooks({ body: { ids: [id] } })).data).toEqual({ status: "ok" });
    const [, , replayed] = await hooks.until(3);
    expect(replayed!.headers["x-chargify-webhook-id"]).toBe(String(id));
    await recorded(mock, namespace, 3);

    const sent = await mock.webhooks(namespace);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.attempts.map((attempt) => attempt.status)).toEqual([500, 200, 200]);
    expect(sent[0]).toMatchObject({ status: "successful", successful: true, last_error: null });
    const control = await fetch(`${mock.url}/__mock/webhooks`, { headers: { "Mock-Namespace": namespace } });
    expect(((await control.json()) as { webhooks: unknown[] }).webhooks).toHaveLength(1);
    await hooks.close();
  });

  test("an endpoint that never answers well is tried five times, on the documented schedule, then failed", async () => {
    const hooks = await receiver(() => 503);
    const namespace = "gives-up";
    const billing = createBillingClient({ baseUrl: mock.url, apiKey: "test", headers: { "Mock-Namespace": namespace }, retry: false });
    await billing.webhooks.createEndpoint({ body: { endpoint: { url: hooks.url, webhook_subscriptions: ["subscription_state_change"] } } });
    await billing.subscriptions.cancelSubscription({ subscription_id: 222, body: {} });
    await hooks.until(1);
    for (const [index, wait] of [10, 15, 90, 180].entries()) {
      await recorded(mock, namespace, index + 1);
      await mock.clock.advance(wait - 1, namespace);
      expect(hooks.deliveries, `not before ${wait} s`).toHaveLength(index + 1);
      await mock.clock.advance(1, namespace);
      await hooks.until(index + 2);
    }
    await recorded(mock, namespace, 5);
    await mock.clock.advance(3600, namespace);
    const [webhook] = await mock.webhooks(namespace);
    expect(webhook).toMatchObject({ status: "failed", last_error: "503 Service Unavailable (retry 5 of 5)", next_attempt_at: null });
    expect(hooks.deliveries).toHaveLength(5);
    await hooks.close();
  });

  test("the API call is answered before the receiver, which never slows it: a receiver that hangs changes nothing", async () => {
    const server = createServer(() => {}); // never answers
    const url = await listen(server, 0, "127.0.0.1");
    const billing = createBillingClient({ baseUrl: mock.url, apiKey: "test", headers: { "Mock-Namespace": "hangs" }, retry: false });
    await billing.webhooks.createEndpoint({ body: { endpoint: { url, webhook_subscriptions: ["customer_create"] } } });
    for (let index = 0; index < 3; index++) {
      const created = await billing.customers.createCustomer({ body: { customer: { first_name: "Ada", last_name: `Lovelace ${index}`, email: `ada${index}@example.com` } } });
      expect(created.response.status).toBe(201);
    }
    expect((await mock.webhooks("hangs")).map(({ event }) => event)).toEqual(["customer_create", "customer_create", "customer_create"]);
    server.closeAllConnections();
    server.close();
  });

  test("a burst of calls: every webhook arrives once, in the order of its call, though many are on the wire at once", async () => {
    const hooks = await receiver();
    const namespace = "burst";
    const billing = createBillingClient({ baseUrl: mock.url, apiKey: "test", headers: { "Mock-Namespace": namespace }, retry: false });
    await billing.webhooks.createEndpoint({ body: { endpoint: { url: hooks.url, webhook_subscriptions: ["customer_create"] } } });
    const calls = 60;
    const created = await Promise.all(
      Array.from({ length: calls }, (_, index) => billing.customers.createCustomer({ body: { customer: { first_name: "Ada", last_name: `Burst ${index}`, email: `burst${index}@example.com` } } })),
    );
    expect(created.map(({ response }) => response.status)).toEqual(Array(calls).fill(201));
    const deliveries = await hooks.until(calls);
    // Webhook ids follow the calls' turns: arriving in id order is arriving in the calls' order.
    const ids = deliveries.map((delivery) => Number(delivery.headers["x-chargify-webhook-id"]));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(calls);
    const customers = new Map(created.map(({ data }) => [String(data!.customer.id), data!.customer.email]));
    for (const delivery of deliveries) {
      const webhook = await parse(delivery);
      if (webhook.event !== "customer_create") throw new Error(`unexpected ${webhook.event}`);
      expect(customers.get(webhook.payload.customer.id)).toBe(webhook.payload.customer.email);
    }
    for (;;) {
      const log = await mock.webhooks(namespace);
      if (log.length === calls && log.every((webhook) => webhook.successful)) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(hooks.deliveries).toHaveLength(calls);
    await hooks.close();
  });

  test("without an endpoint nothing is built or sent; startMock({ webhooks: { url }, sharedKey }) gives every namespace one", async () => {
    const quiet = createBillingClient({ baseUrl: mock.url, apiKey: "test", headers: { "Mock-Namespace": "no-endpoint" } });
    await quiet.customers.createCustomer({ body: { customer: { first_name: "Ada", last_name: "Lovelace", email: "ada@example.com" } } });
    expect(await mock.webhooks("no-endpoint")).toEqual([]);

    const hooks = await receiver();
    const configured = await startMock({ port: 0, stateful: true, webhooks: { url: hooks.url }, sharedKey: "team-shared-key" });
    const billing = createBillingClient({ baseUrl: configured.url, apiKey: "test", headers: { "Mock-Namespace": "anywhere" } });
    expect((await billing.webhooks.listEndpoints()).data).toEqual([expect.objectContaining({ id: 1, url: hooks.url, status: "enabled" })]);
    await billing.customers.createCustomer({ body: { customer: { first_name: "Ada", last_name: "Lovelace", email: "ada@example.com" } } });
    const [delivery] = await hooks.until(1);
    expect((await parse(delivery!, "team-shared-key")).event).toBe("customer_create");
    await configured.close();
    await hooks.close();
  });
});

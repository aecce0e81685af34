import { parseWebhook, type CustomerCreateWebhook, type Webhook, type WebhookEvent, type WebhookForm, type WebhookPayload } from "@billing-api/client";
import { describe, expectTypeOf, test } from "vitest";

describe("webhook types", () => {
  test("the events are the spec's webhooks", () => {
    expectTypeOf<"signup_success">().toExtend<WebhookEvent>();
    expectTypeOf<"customer_create">().toExtend<WebhookEvent>();
    expectTypeOf<WebhookForm<"customer_create">>().toEqualTypeOf<CustomerCreateWebhook>();
  });

  test("event narrows the union, and payload is nested by the bracket keys", async () => {
    const webhook = await parseWebhook({ body: "", headers: {}, sharedKey: "k" });
    expectTypeOf(webhook).toEqualTypeOf<Webhook>();
    if (webhook.event === "signup_success") {
      expectTypeOf(webhook.payload.subscription.id).toEqualTypeOf<string>();
      expectTypeOf(webhook.payload.subscription.customer.email).toEqualTypeOf<string>();
      expectTypeOf(webhook.payload.subscription.previous_state).toEqualTypeOf<string | undefined>();
      expectTypeOf(webhook.payload.site.subdomain).toEqualTypeOf<string>();
      expectTypeOf(webhook.payload.event_id).toEqualTypeOf<string>();
      // @ts-expect-error a signup carries no transaction
      void webhook.payload.transaction;
    }
    if (webhook.event === "payment_failure") expectTypeOf(webhook.payload.transaction.success).toEqualTypeOf<string>();
    if (webhook.event === "customer_create") expectTypeOf(webhook.payload.customer.email).toEqualTypeOf<string>();
    expectTypeOf<WebhookPayload<"refund_success">["refund_amount_in_cents"]>().toEqualTypeOf<string>();
  });
});

import {
  createBillingClient,
  errorOf,
  type PortalAfterCompletion,
  type PortalFlow,
  type PortalSession,
  type PortalSubscriptionCancelFlow,
  type PortalSubscriptionUpdateConfirmFlow,
} from "@billing-api/client";
import { describe, expectTypeOf, test } from "vitest";

const client = createBillingClient({ subdomain: "acme", apiKey: "k" });

describe("Portal Sessions types", () => {
  test("flow.type narrows the flow to its own sub-object", () => {
    const flow = {} as PortalFlow;
    expectTypeOf(flow.type).toEqualTypeOf<"payment_method_update" | "subscription_cancel" | "subscription_update" | "subscription_update_confirm">();
    if (flow.type === "subscription_cancel") {
      expectTypeOf(flow).toEqualTypeOf<PortalSubscriptionCancelFlow>();
      expectTypeOf(flow.subscription_cancel.subscription_id).toEqualTypeOf<number>();
      expectTypeOf(flow).not.toHaveProperty("subscription_update");
    }
    if (flow.type === "subscription_update_confirm") {
      expectTypeOf(flow).toEqualTypeOf<PortalSubscriptionUpdateConfirmFlow>();
      expectTypeOf<(typeof flow.subscription_update_confirm.items)[number]["product_handle"]>().toEqualTypeOf<string>();
    }
    if (flow.type === "payment_method_update") expectTypeOf(flow).not.toHaveProperty("subscription_cancel");
  });

  test("after_completion.type narrows the same way", () => {
    const after = {} as PortalAfterCompletion;
    if (after.type === "redirect") expectTypeOf(after.redirect.return_url).toEqualTypeOf<string>();
    if (after.type === "portal_homepage") expectTypeOf(after).not.toHaveProperty("redirect");
  });

  test("a session's optional keys are present and nullable", () => {
    expectTypeOf<PortalSession["flow"]>().toEqualTypeOf<PortalFlow | null>();
    expectTypeOf<PortalSession["return_url"]>().toEqualTypeOf<string | null>();
    expectTypeOf<PortalSession["expires_at"]>().toEqualTypeOf<string>();
  });

  test("a request whose type does not match its sub-object does not compile", () => {
    void client.POST("/portal/sessions.json", {
      body: {
        portal_session: {
          customer_id: 150,
          // @ts-expect-error subscription_cancel requires its own sub-object, not subscription_update's
          flow: { type: "subscription_cancel", subscription_update: { subscription_id: 222 } },
        },
      },
    });
  });

  test("the 404 and 422 are typed error lists", async () => {
    const failure = errorOf(await client.POST("/portal/sessions.json", { body: { portal_session: { customer_id: 150 } } }));
    if (failure?.status === 422 || failure?.status === 404) expectTypeOf(failure.body.errors).toEqualTypeOf<string[]>();
  });
});

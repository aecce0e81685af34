import { errorOf } from "@billing-api/client";
import { describe, expect, test } from "vitest";
import { contract, prefer } from "../support/contract.js";
import { requestExamples, send } from "@billing-api/test-support/raw";

// Portal sessions and configurations (our design, after Stripe's customer portal). Routine 401 and
// the shared 404 are swept in spec/routine-statuses.test.ts.
const sessionKeys = ["id", "url", "created_at", "expires_at", "customer_id", "configuration_id", "flow", "locale", "return_url", "livemode"];

describe("createPortalSession", () => {
  contract("createPortalSession", 201, "a short-lived URL, every key present", async (client) => {
    const result = await client.POST("/portal/sessions.json", { body: { portal_session: { customer_id: 150, locale: "en" } } });
    const session = result.data!.portal_session;
    expect(Object.keys(session).sort()).toEqual([...sessionKeys].sort());
    expect(session.flow).toBeNull();
    expect(Date.parse(session.expires_at) - Date.parse(session.created_at)).toBe(5 * 60 * 1000);
    return result;
  });

  contract("createPortalSession", 404, "an unknown customer, configuration or subscription", async (client) => {
    const body = { portal_session: { customer_id: 999, configuration_id: "bpc_5kq2wz7d9r3m" } };
    const configuration = errorOf(await client.POST("/portal/sessions.json", { body, headers: prefer(404, "unknownConfiguration") }));
    expect(configuration?.body).toEqual({ errors: ["Portal configuration not found"] });
    const result = await client.POST("/portal/sessions.json", { body, headers: prefer(404, "unknownCustomer") });
    expect(errorOf(result)?.body).toEqual({ errors: ["Customer not found"] });
    return result;
  });

  contract("createPortalSession", 422, "what the schema cannot say: the portal not enabled for the customer", async (client) => {
    const result = await client.POST("/portal/sessions.json", { body: { portal_session: { customer_id: 151 } }, headers: prefer(422, "portalNotEnabled") });
    const failure = errorOf(result);
    if (failure?.status !== 422) throw new Error("expected a 422");
    expect(failure.body.errors[0]).toMatch(/^customer_id: the Billing Portal is not enabled/);
    return result;
  });
});

describe("portal configurations", () => {
  contract("listPortalConfigurations", 200, "a page of configurations with meta", async (client) => {
    const result = await client.GET("/portal/configurations.json", { params: { query: { active: true, page: 1, per_page: 20 } } });
    expect(result.data?.meta).toEqual({ current_page: 1, total_count: 2 });
    expect(result.data?.portal_configurations.filter((configuration) => configuration.is_default)).toHaveLength(1);
    return result;
  });

  contract("createPortalConfiguration", 201, "plan changes between two products", async (client) => {
    const result = await client.POST("/portal/configurations.json", {
      body: { portal_configuration: { name: "Plan changes", features: { subscription_update: { enabled: true, default_allowed_updates: ["product"], products: [{ product_handle: "estate-gardens", price_point_handles: ["estate-gardens-monthly"] }] } } } },
    });
    const configuration = result.data!.portal_configuration;
    expect(configuration.id).toMatch(/^bpc_/);
    expect(configuration.features.subscription_update?.products?.map((product) => product.product_handle)).toContain("estate-gardens");
    return result;
  });

  contract("createPortalConfiguration", 422, "a product the site does not sell", async (client) => {
    return client.POST("/portal/configurations.json", {
      body: { portal_configuration: { features: { subscription_update: { enabled: true, products: [{ product_handle: "estate-deluxe", price_point_handles: ["estate-deluxe-monthly"] }] } } } },
      headers: prefer(422, "unknownProduct"),
    });
  });

  contract("readPortalConfiguration", 200, "the default configuration, every key present", async (client) => {
    const result = await client.GET("/portal/configurations/{configuration_id}.json", { params: { path: { configuration_id: "bpc_5kq2wz7d9r3m" } } });
    expect(result.data?.portal_configuration).toMatchObject({ id: "bpc_5kq2wz7d9r3m", is_default: true, login_page: { enabled: false, url: null } });
    return result;
  });

  contract("updatePortalConfiguration", 200, "deactivated (there is no delete)", async (client) => {
    const result = await client.PUT("/portal/configurations/{configuration_id}.json", {
      params: { path: { configuration_id: "bpc_8tn4hx6c2v1p" } },
      body: { portal_configuration: { active: false } },
    });
    expect(result.data?.portal_configuration).toMatchObject({ id: "bpc_8tn4hx6c2v1p", active: false });
    return result;
  });

  contract("updatePortalConfiguration", 422, "the default configuration cannot be deactivated", async (client) => {
    const result = await client.PUT("/portal/configurations/{configuration_id}.json", {
      params: { path: { configuration_id: "bpc_5kq2wz7d9r3m" } },
      body: { portal_configuration: { active: false } },
      headers: prefer(422),
    });
    expect(errorOf(result)?.body).toEqual({ errors: ["active: the default configuration cannot be deactivated"] });
    return result;
  });
});

const session = (portal_session: Record<string, unknown>) => send("POST", "/portal/sessions.json", { portal_session: { customer_id: 150, ...portal_session } });
const configuration = (portal_configuration: Record<string, unknown>) => send("POST", "/portal/configurations.json", { portal_configuration });

describe("portal session requests", () => {
  test.each(requestExamples("createPortalSession"))("documented session %s is accepted", async (_name, body) => {
    expect((await send("POST", "/portal/sessions.json", body)).status).toBe(201);
  });

  test("the named examples cover the four flows and the three after-completion behaviours", () => {
    const flows = requestExamples("createPortalSession").map(([, body]) => (body as { portal_session: { flow?: { type: string; after_completion?: { type: string } } } }).portal_session.flow);
    expect(new Set(flows.map((flow) => flow?.type).filter(Boolean))).toEqual(new Set(["payment_method_update", "subscription_cancel", "subscription_update", "subscription_update_confirm"]));
    expect(new Set(flows.map((flow) => flow?.after_completion?.type).filter(Boolean))).toEqual(new Set(["hosted_confirmation", "portal_homepage", "redirect"]));
  });

  test("a type that does not match its sub-object is refused, naming both, in one message (one defect: the type)", async () => {
    const { status, body } = await session({ flow: { type: "subscription_cancel", subscription_update: { subscription_id: 222 } } });
    expect(status).toBe(422);
    expect(body.errors).toEqual(['portal_session.flow: type is "subscription_cancel" but the properties are those of type "subscription_update"']);
  });

  test("a sub-object of another flow beside the flow's own is refused, naming it", async () => {
    const { status, body } = await session({ flow: { type: "subscription_cancel", subscription_cancel: { subscription_id: 222 }, subscription_update: { subscription_id: 222 } } });
    expect(status).toBe(422);
    expect(body.errors).toEqual(['portal_session.flow: subscription_update does not go with type "subscription_cancel"']);
  });

  test("a redirect without return_url is refused", async () => {
    const { status, body } = await session({ flow: { type: "payment_method_update", after_completion: { type: "redirect", redirect: {} } } });
    expect(status).toBe(422);
    expect(body.errors).toEqual(["Request body property portal_session.flow.after_completion.redirect must have required property 'return_url'"]);
  });

  test("a redirect with no redirect object is refused", async () => {
    const { status, body } = await session({ flow: { type: "payment_method_update", after_completion: { type: "redirect" } } });
    expect(status).toBe(422);
    expect(body.errors).toEqual(['portal_session.flow.after_completion: type "redirect" requires redirect']);
  });

  test("two items to confirm are refused", async () => {
    const { status, body } = await session({
      flow: { type: "subscription_update_confirm", subscription_update_confirm: { subscription_id: 222, items: [{ product_handle: "estate-gardens" }, { product_handle: "estate-basic" }] } },
    });
    expect(status).toBe(422);
    expect(body.errors).toEqual(["Request body property portal_session.flow.subscription_update_confirm.items must NOT have more than 1 items"]);
  });

  test("two discounts are refused", async () => {
    const { status, body } = await session({
      flow: { type: "subscription_update_confirm", subscription_update_confirm: { subscription_id: 222, items: [{ product_handle: "estate-gardens" }], discounts: [{ coupon_code: "SPRING5" }, { coupon_code: "FOUNDERS10" }] } },
    });
    expect(status).toBe(422);
    expect(body.errors).toEqual(["Request body property portal_session.flow.subscription_update_confirm.discounts must NOT have more than 1 items"]);
  });

  test("an unknown locale is refused, listing the 47 the portal speaks", async () => {
    const { status, body } = await session({ locale: "en-US" });
    expect(status).toBe(422);
    expect(body.errors[0]).toMatch(/^Request body property portal_session\.locale must be equal to one of the allowed values: auto, bg, cs, /);
    expect(body.errors[0].split(": ")[1].split(", ")).toHaveLength(47);
  });

  test("an over-long confirmation message is refused", async () => {
    const { status, body } = await session({
      flow: { type: "payment_method_update", after_completion: { type: "hosted_confirmation", hosted_confirmation: { custom_message: "x".repeat(501) } } },
    });
    expect(status).toBe(422);
    expect(body.errors).toEqual(["Request body property portal_session.flow.after_completion.hosted_confirmation.custom_message must NOT have more than 500 characters"]);
  });

  test("an unknown flow type is refused, listing the four", async () => {
    const { status, body } = await session({ flow: { type: "invoice_pay" } });
    expect(status).toBe(422);
    expect(body.errors).toEqual(['portal_session.flow: type must be one of payment_method_update, subscription_cancel, subscription_update, subscription_update_confirm; got "invoice_pay"']);
  });
});

describe("portal configuration requests", () => {
  test.each(requestExamples("createPortalConfiguration"))("documented configuration %s is accepted", async (_name, body) => {
    expect((await send("POST", "/portal/configurations.json", body)).status).toBe(201);
  });

  test.each(requestExamples("updatePortalConfiguration"))("documented update %s is accepted", async (_name, body) => {
    expect((await send("PUT", "/portal/configurations/bpc_8tn4hx6c2v1p.json", body)).status).toBe(200);
  });

  test("a configuration without features is refused", async () => {
    const { status, body } = await configuration({ name: "Estate default" });
    expect(status).toBe(422);
    expect(body.errors).toEqual(["Request body property portal_configuration must have required property 'features'"]);
  });

  test("a feature without enabled is refused on create", async () => {
    const { status, body } = await configuration({ features: { invoice_history: {} } });
    expect(status).toBe(422);
    expect(body.errors).toEqual(["Request body property portal_configuration.features.invoice_history must have required property 'enabled'"]);
  });

  test("prorations with an at-period-end cancellation are refused, naming both fields", async () => {
    const { status, body } = await configuration({ features: { subscription_cancel: { enabled: true, mode: "at_period_end", proration_behavior: "create_prorations" } } });
    expect(status).toBe(422);
    expect(body.errors).toEqual(['portal_configuration.features.subscription_cancel: "proration_behavior": "create_prorations" needs "mode": "immediately"']);
  });

  test("an over-long headline, name or metadata value is refused", async () => {
    const features = { invoice_history: { enabled: true } };
    const headline = await configuration({ features, business_profile: { headline: "x".repeat(61) } });
    expect(headline.body.errors).toEqual(["Request body property portal_configuration.business_profile.headline must NOT have more than 60 characters"]);
    const name = await configuration({ features, name: "x".repeat(257) });
    expect(name.body.errors).toEqual(["Request body property portal_configuration.name must NOT have more than 256 characters"]);
    const metadata = await configuration({ features, metadata: { note: "x".repeat(501) } });
    expect(metadata.body.errors).toEqual(["Request body property portal_configuration.metadata.note must NOT have more than 500 characters"]);
  });

  test("more than ten products are refused", async () => {
    const products = Array.from({ length: 11 }, (_, i) => ({ product_handle: `plan-${i}`, price_point_handles: [`plan-${i}-monthly`] }));
    const { status, body } = await configuration({ features: { subscription_update: { enabled: true, products } } });
    expect(status).toBe(422);
    expect(body.errors).toEqual(["Request body property portal_configuration.features.subscription_update.products must NOT have more than 10 items"]);
  });

  test("an empty update is refused", async () => {
    const { status } = await send("PUT", "/portal/configurations/bpc_8tn4hx6c2v1p.json", { portal_configuration: {} });
    expect(status).toBe(422);
  });

  test("a configuration id without its bpc_ prefix is a 404", async () => {
    expect((await send("GET", "/portal/configurations/5kq2wz7d9r3m.json")).status).toBe(404);
  });
});

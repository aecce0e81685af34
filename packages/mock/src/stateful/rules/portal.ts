/**
 * Portal configurations and sessions (ours, after Stripe's customer portal): a configuration starts
 * with every feature off but those the request turns on, must turn one on, offers only the site's
 * products, and the default one cannot be deactivated; a session gets its own id and URL, expires
 * five minutes after it is made, and needs a customer with the Billing Portal enabled and an active
 * configuration (the default one unless named).
 */
import { randomBytes } from "node:crypto";
import { iso, type Call, type Reply } from "../call.js";
import { find } from "../crud.js";
import { isObject } from "../schema.js";
import type { StoredRecord } from "../store.js";

const sessionLifetime = 5 * 60 * 1000;

/** `sent` laid over `base`, object by object (arrays and values are replaced). */
function merged(base: unknown, sent: unknown): unknown {
  if (!isObject(base) || !isObject(sent)) return sent === undefined ? base : sent;
  const result: Record<string, unknown> = { ...base };
  for (const [name, value] of Object.entries(sent)) result[name] = merged(base[name], value);
  return result;
}

/** The features of a new configuration: the seed's, each off, with what the request sent on top. */
function newFeatures(call: Call, sent: unknown): Record<string, unknown> {
  const seed = call.universe.seeds.get("portal_configuration")?.[0]?.features;
  const off = Object.fromEntries(Object.entries(isObject(seed) ? seed : {}).map(([name, feature]) => [name, { ...(feature as object), enabled: false }]));
  return merged(off, sent) as Record<string, unknown>;
}

/** The first product a subscription_update feature offers that the site does not have, as a 422. */
async function unknownProduct(call: Call, features: Record<string, unknown>): Promise<Reply | undefined> {
  const update = features.subscription_update;
  const offered = isObject(update) && Array.isArray(update.products) ? update.products : [];
  const handles = new Set((await call.store.list("product")).map((product) => product.handle));
  const index = offered.findIndex((p) => isObject(p) && p.product_handle !== undefined && !handles.has(p.product_handle));
  if (index === -1) return undefined;
  const handle = (offered[index] as StoredRecord).product_handle;
  return call.example(422, "unknownProduct", () => ({
    errors: [`features.subscription_update.products.${index}.product_handle: ${String(handle)} is not a product of this site`],
  }));
}

export async function createPortalConfiguration(call: Call): Promise<Reply> {
  const sent = call.sent("portal_configuration");
  const features = newFeatures(call, sent.features);
  if (!Object.values(features).some((feature) => isObject(feature) && feature.enabled === true)) return call.example(422, "nothingEnabled");
  const refused = await unknownProduct(call, features);
  if (refused) return refused;
  const seed = call.universe.seeds.get("portal_configuration")?.[0] ?? {};
  const emptyProfile = Object.fromEntries(Object.keys(isObject(seed.business_profile) ? seed.business_profile : {}).map((name) => [name, null]));
  return call.plain!({
    features,
    business_profile: merged(emptyProfile, sent.business_profile) as StoredRecord,
    login_page: merged({ enabled: false, url: null }, sent.login_page) as StoredRecord,
    metadata: isObject(sent.metadata) ? sent.metadata : {},
    active: true,
    is_default: false,
    livemode: true,
  });
}

export async function updatePortalConfiguration(call: Call): Promise<Reply> {
  const configuration = await find(call, "portal_configuration", call.path.configuration_id);
  if (!configuration) return call.notFound();
  const sent = call.sent("portal_configuration");
  if (configuration.is_default === true && sent.active === false) return call.example(422, "deactivateDefault");
  const nested: StoredRecord = {};
  for (const name of ["features", "business_profile", "login_page", "metadata"]) if (sent[name] !== undefined) nested[name] = merged(configuration[name], sent[name]);
  if (isObject(nested.features)) {
    const refused = await unknownProduct(call, nested.features);
    if (refused) return refused;
  }
  return call.plain!(nested);
}

/** The subscription a session's flow names (`flow.subscription_cancel.subscription_id`, ...). */
function flowSubscription(flow: unknown): string | undefined {
  if (!isObject(flow) || typeof flow.type !== "string") return undefined;
  const details = flow[flow.type];
  return isObject(details) && details.subscription_id !== undefined ? String(details.subscription_id) : undefined;
}

export async function createPortalSession(call: Call): Promise<Reply> {
  const sent = call.sent("portal_session");
  const customer = await call.store.get("customer", String(sent.customer_id));
  if (!customer) return call.example(404, "unknownCustomer");
  const configurations = await call.store.list("portal_configuration");
  const configuration =
    sent.configuration_id !== undefined ? configurations.find((c) => c.id === sent.configuration_id) : configurations.find((c) => c.is_default === true);
  if (!configuration) return call.example(404, "unknownConfiguration");
  const subscriptionId = flowSubscription(sent.flow);
  const subscription = subscriptionId === undefined ? undefined : await call.store.get("subscription", subscriptionId);
  if (subscriptionId !== undefined && (!subscription || (subscription.customer as StoredRecord | undefined)?.id !== customer.id)) {
    return call.example(404, "unknownSubscription");
  }
  const portal = await call.store.get("portal", String(customer.id));
  if (customer.portal_customer_created_at == null || portal?.revoked === true) return call.example(422, "portalNotEnabled");
  if (configuration.active !== true) return call.example(422, "inactiveConfiguration");
  if (isObject(sent.flow) && sent.flow.type === "subscription_cancel" && subscription?.state === "canceled") {
    return call.example(422, "canceledSubscription");
  }
  const fresh = await call.plain!({
    customer_id: customer.id,
    configuration_id: configuration.id,
    flow: sent.flow ?? null,
    locale: sent.locale ?? null,
    return_url: sent.return_url ?? configuration.default_return_url ?? null,
    livemode: true,
    expires_at: iso(new Date(call.now.getTime() + sessionLifetime)),
  });
  const session = (fresh.body as { portal_session: StoredRecord }).portal_session;
  session.url = `https://www.billingportal.com/sessions/${String(session.id)}/${randomBytes(5).toString("hex")}`;
  await call.store.put("portal_session", String(session.id), session);
  return fresh;
}

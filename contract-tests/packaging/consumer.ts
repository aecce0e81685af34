// A consuming team's file, compiled in an empty project that installed our tarballs, under NodeNext,
// Bundler and CommonJS resolution with skipLibCheck off, and run (NodeNext) against the installed mock.
import {
  BillingNetworkError,
  createBillingClient,
  createManagementLinkCache,
  errorOf,
  paginate,
  parseWebhook,
  selfServiceUpdateUrl,
  threeDSecureRedirectUrl,
  type Customer,
} from "@billing-api/client";
import { createBillingCoreClient } from "@billing-api/client/core";
import { docsHtmlPath, serveDocs } from "@billing-api/docs";
import { defaultSharedKey, startMock, type MockOptions, type MockServer } from "@billing-api/mock";
import { openapiJsonPath } from "@billing-api/spec";

/**
 * A webhook of the installed stateful mock (judged by the installed conformance package, signed and
 * sent), tried on an endpoint where nothing listens: its event, as parseWebhook reads the logged
 * body and signature.
 */
async function webhookEvent(): Promise<string> {
  const mock = await startMock({ port: 0, stateful: true, webhooks: { url: "http://127.0.0.1:9/hooks" } });
  try {
    const billing = createBillingClient({ baseUrl: mock.url, apiKey: "test", retry: false });
    await billing.customers.createCustomer({ body: { customer: { first_name: "Martha", last_name: "Washington", email: "martha@example.com" } } });
    for (;;) {
      const [webhook] = await mock.webhooks();
      // Failed without an attempt: the mock could not send it (the judge refused it, say).
      if (webhook?.status === "failed" && webhook.attempts.length === 0) throw new Error(`webhook not sent: ${webhook.last_error}`);
      if (webhook && webhook.attempts.length > 0) {
        const headers = { "x-chargify-webhook-signature-hmac-sha-256": webhook.signature_hmac_sha_256 };
        return `${(await parseWebhook({ body: webhook.body, headers, sharedKey: defaultSharedKey })).event} ${webhook.attempts[0]!.error ?? "answered"}`;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    await mock.close();
  }
}

async function main(): Promise<string> {
  const options: MockOptions = { port: 0 };
  const mock: MockServer = await startMock(options);
  try {
    const billing = createBillingClient({ baseUrl: mock.url, apiKey: "test", retry: false });

    // Named method, error narrowing by status.
    const read = await billing.customers.readCustomer({ id: 150 });
    if (read.error?.status === 404) throw new Error(`no customer: ${read.error.body.errors.join(", ")}`);
    if (read.error) throw new Error(`refused with ${read.error.status}`);
    const customer: Customer = read.data.customer;

    // A documented error, asked for with Prefer, typed by its status.
    const refused = await billing.customers.createCustomer({ body: { customer: { first_name: "Martha", last_name: "Washington", email: "martha@example.com" } } }, { headers: { Prefer: "code=422" } });
    const refusal = refused.error?.status === 422 ? refused.error.body : undefined;

    // Operations whose request body the spec makes optional, called without one.
    const subscription_id = 222;
    const withoutBodies = await Promise.all([
      billing.subscriptions.cancelSubscription({ subscription_id }),
      billing.subscriptions.initiateDelayedCancellation({ subscription_id }),
      billing.subscriptions.reactivateSubscription({ subscription_id }),
      billing.subscriptions.applyCouponsToSubscription({ subscription_id, code: "SPRING5" }),
    ]);

    // Helpers.
    let customers = 0;
    for await (const { customer } of paginate(billing.customers.listCustomers, { per_page: 200 })) if (customer.id) customers += 1;
    const links = createManagementLinkCache(billing);
    const link = await links.get(150);
    const selfService = await selfServiceUpdateUrl({ subdomain: "acme", subscriptionId: 222, sharedKey: "shared-key" });
    const redirect = threeDSecureRedirectUrl("https://checkout-test.chargifypay.test/3d-secure/checkout/pay_uerzhsxd5uhkbodx5jhvkg6yeu", { callbackUrl: "https://example.com/callback" });

    // The path-based core client, with errorOf.
    const core = createBillingCoreClient({ baseUrl: mock.url, apiKey: "test" });
    const missing = errorOf(await core.GET("/customers/{id}.json", { params: { path: { id: 150 } }, headers: { Prefer: "code=404" } }));

    // The other packages' entry points.
    const docs = await serveDocs({ port: 0 });
    await docs.close();
    const files = [openapiJsonPath, docsHtmlPath].map((path) => path.split(/[\\/]/).pop()).join(" ");
    const webhook = await webhookEvent();

    return [
      `customer ${customer.id} ${customer.first_name}`,
      `refusal ${refusal ? "422" : "none"}`,
      `without bodies ${withoutBodies.map(({ response }) => response.status).join(" ")}`,
      `customers ${customers}`,
      `link ${link.data ? "yes" : "no"}`,
      `self-service ${selfService.includes("/update_payment/222/")}`,
      `redirect ${redirect.startsWith("https://")}`,
      `missing ${missing?.status}`,
      `files ${files}`,
      `network-error-class ${typeof BillingNetworkError}`,
      `webhook ${webhook}`,
    ].join("\n");
  } finally {
    await mock.close();
  }
}

main().then(
  (summary) => console.log(summary),
  (error: unknown) => {
    console.error(error);
    throw error;
  },
);

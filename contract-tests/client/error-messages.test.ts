import { readFileSync } from "node:fs";
import { errorDetails, errorMessages, type BillingErrorBody, type ErrorDetail } from "@billing-api/client";
import { openapiJsonPath } from "@billing-api/spec";
import { describe, expect, test } from "vitest";

// Every error example of the bundled document, read here, so a new error example (or a new shape)
// is covered without touching this file.
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const document = JSON.parse(readFileSync(openapiJsonPath, "utf8")) as Json;
const resolve = (node: Json): Json => (typeof node?.$ref === "string" ? resolve(node.$ref.slice(2).split("/").reduce((at: Json, key: string) => at[key], document)) : node);

const examples: [string, unknown][] = [];
for (const item of Object.values(document.paths as Json)) {
  for (const operation of Object.values(item as Json)) {
    for (const [status, response] of Object.entries((operation as Json).responses ?? {})) {
      if (!/^[45]/.test(status)) continue;
      for (const [media, content] of Object.entries(resolve(response as Json).content ?? {})) {
        for (const [name, example] of Object.entries((content as Json).examples ?? {})) {
          examples.push([`${(operation as Json).operationId} ${status} ${media} ${name}`, resolve(example as Json).value]);
        }
      }
    }
  }
}
const example = (label: string) => examples.find(([name]) => name.startsWith(label))![1] as BillingErrorBody;

/** Whether a dotted field is a path of keys of the body (or of its `errors`); keys may hold dots themselves. */
function fieldExists(body: unknown, field: string): boolean {
  const walk = (at: unknown, rest: string): boolean =>
    rest === "" ||
    (typeof at === "object" && at !== null && Object.keys(at).some((key) => (rest === key || rest.startsWith(`${key}.`)) && walk((at as Json)[key], rest.slice(key.length + 1))));
  return walk((body as Json).errors ?? body, field);
}

describe("errorMessages and errorDetails: every error example of the bundle", () => {
  test("the bundle has error examples of every documented shape", () => {
    expect(examples.length).toBeGreaterThan(60);
  });

  test.each(examples)("%s gives its messages", (_, body) => {
    const details = errorDetails(body as BillingErrorBody);
    expect(details.length).toBeGreaterThan(0);
    const text = typeof body === "string" ? body : JSON.stringify(body);
    for (const { field, message } of details) {
      expect(message.trim()).toBe(message);
      expect(message).not.toBe("");
      // Each message is taken from the body, not made up; each field names a key of the body.
      expect(text).toContain(JSON.stringify(message).slice(1, -1));
      if (field !== undefined) expect(fieldExists(body, field), `${field} in ${text}`).toBe(true);
    }
    expect(errorMessages(body as BillingErrorBody)).toEqual(details.map(({ field, message }) => (field ? `${field}: ${message}` : message)));
    // A named method's error ({ status, body }) gives the same as its body.
    expect(errorDetails({ status: 422, body: body as BillingErrorBody })).toEqual(details);
  });
});

describe("errorMessages and errorDetails: what each shape gives", () => {
  const cases: [string, ErrorDetail[]][] = [
    // {"errors": [...]}
    ["createCustomer 422 application/json invalidFields", [{ message: "First name: cannot be blank." }, { message: "Last name: cannot be blank." }, { message: "Reference: must be unique - that value has been taken." }]],
    // {"errors": {field: "..."}}
    ["createCustomer 422 application/json missingWrapper", [{ field: "customer", message: "can't be blank" }]],
    // {"errors": {...}} nested by position and field
    [
      "signupWithSubscriptionGroup 422 application/json subscriptionErrors",
      [
        { field: "subscriptions.0.payment_profile.chargify_token", message: "Chargify token not found" },
        { field: "subscriptions.0.product", message: "must be among the Products for this Site" },
        { field: "subscriptions.0.product_price_point_id", message: "Product price point must belong to product." },
      ],
    ],
    ["signupWithSubscriptionGroup 422 application/json payerErrors", [{ field: "payer.email", message: "can't be blank" }]],
    // {"errors": {"members": [{id, type, message}]}}
    ["updateSubscriptionGroupMembers 422 application/json memberNotFound", [{ field: "members", message: "Subscription could not be found" }]],
    // {"errors": "..."}
    ["validateCoupon 404 application/json notFound", [{ message: "Coupon code could not be found." }]],
    // {"error": "..."}
    ["cancelSubscription 422 application/json alreadyCanceled", [{ message: "The subscription is already canceled" }]],
    // {"coupon_code": [...]}: keyed, no wrapper
    ["applyCouponsToSubscription 422 application/json unknownCode", [{ field: "coupon_code", message: "Coupon code could not be found." }]],
    // The management link's 429: the message, not the time beside it
    ["readBillingPortalLink 429 application/json tooManyRequests", [{ message: "Too many requests. You can request a new link after 2026-12-05T21:40:12Z." }]],
    // JSON:API 3-D Secure 422: each error's title
    ["createPaymentProfile 422 application/json threeDSecureRequired", [{ message: "This card requires 3DSecure verification." }]],
    // The 3-D Secure 422 of a subscription: the list, not the gateway fields beside it
    ["createSubscription 422 application/json threeDSecureRequired", [{ message: "Your card was declined. This transaction requires 3D secure authentication." }]],
    // The plain-text 401
    ["readCustomer 401 text/plain accessDenied", [{ message: "HTTP Basic: Access denied." }]],
  ];

  test.each(cases)("%s", (label, expected) => {
    expect(errorDetails(example(label))).toEqual(expected);
  });

  test("messages carry their field; nothing for no error", () => {
    expect(errorMessages(example("createCustomer 422 application/json missingWrapper"))).toEqual(["customer: can't be blank"]);
    expect(errorMessages(undefined)).toEqual([]);
  });

  test("typed from the spec's error bodies", () => {
    // @ts-expect-error a body of no documented error shape does not compile
    errorMessages({ message: "nope" });
    // @ts-expect-error nor does a number
    errorMessages(42);
  });
});

import { createBillingClient, type BillingClient, type OperationTable, type RequestBodies } from "@billing-api/client";
import { describe, expectTypeOf, test } from "vitest";

// Whether a named method needs `body` is decided by the spec alone: `RequestBodies` is generated from
// the bundled document's `requestBody.required` (by the operation-table generator, apart from
// openapi-typescript), and every method of the client is checked against it, so a new operation, or a
// body made optional in spec/, is covered without a list here.

type Argument<Method> = Method extends (...args: never[]) => unknown ? NonNullable<Parameters<Method>[0]> : never;
/** What a method's argument says about `body`: required, optional, or not taken at all. */
type BodyIn<Args> = "body" extends keyof Args ? (Args extends { body: unknown } ? "required" : "optional") : "none";
/** What the spec says, for every operation of the table. */
type SpecSays<Id> = Id extends keyof RequestBodies ? RequestBodies[Id] : "none";

/** The methods whose `body` disagrees with the spec, as `group.operationId` (never, when all agree). */
type Disagreeing = {
  [Group in keyof OperationTable & keyof BillingClient]: {
    [Id in keyof OperationTable[Group] & keyof BillingClient[Group]]: [BodyIn<Argument<BillingClient[Group][Id]>>] extends [SpecSays<Id>]
      ? [SpecSays<Id>] extends [BodyIn<Argument<BillingClient[Group][Id]>>]
        ? never
        : `${Group & string}.${Id & string}`
      : `${Group & string}.${Id & string}`;
  }[keyof OperationTable[Group] & keyof BillingClient[Group]];
}[keyof OperationTable & keyof BillingClient];

const billing = createBillingClient({ subdomain: "acme", apiKey: "k" });

describe("request bodies: optional exactly where the spec says so", () => {
  test("every method's body is required, optional or absent as its operation's requestBody.required says", () => {
    expectTypeOf<Disagreeing>().toEqualTypeOf<never>();
  });

  test("the generated requirements cover both kinds, so the check above compares something", () => {
    expectTypeOf<"required">().toExtend<RequestBodies[keyof RequestBodies]>();
    expectTypeOf<"optional">().toExtend<RequestBodies[keyof RequestBodies]>();
  });

  test("operations with an optional body are called without one", () => {
    void billing.subscriptions.cancelSubscription({ subscription_id: 222 });
    void billing.subscriptions.initiateDelayedCancellation({ subscription_id: 222 });
    void billing.subscriptions.reactivateSubscription({ subscription_id: 222 });
    void billing.subscriptions.applyCouponsToSubscription({ subscription_id: 222, code: "SPRING5" });
    // ... and still take one.
    void billing.subscriptions.applyCouponsToSubscription({ subscription_id: 222, body: { codes: ["SPRING5"] } });
    void billing.subscriptions.cancelSubscription({ subscription_id: 222, body: { subscription: { cancellation_message: "Moving to annual billing" } } });
  });

  test("a required body cannot be left out", () => {
    // @ts-expect-error createCustomer's requestBody is required
    void billing.customers.createCustomer({});
    // @ts-expect-error updateSubscription's requestBody is required
    void billing.subscriptions.updateSubscription({ subscription_id: 222 });
  });
});

import { describe, expect, test } from "vitest";
import { contextJson } from "../dist/webhooks/contexts.js";
import { site } from "../dist/stateful/site.js";

// The JSON a webhook's payload is read from, made inside the call's turn (contexts.ts).

describe("contextJson", () => {
  const subscription = { id: 222, state: "active", customer: { id: 150, email: "martha@example.com" }, product: { id: 1, handle: "basic" } };

  test("is the records with the site and the event's id", () => {
    expect(JSON.parse(contextJson({ subscription, product: subscription.product }, undefined, 7))).toEqual({ subscription, product: subscription.product, site, event_id: 7 });
  });

  test("what the event adds goes over the records' own keys, as a merge would", () => {
    const previous = { id: 2, handle: "estate-gardens" };
    expect(JSON.parse(contextJson({ subscription, product: subscription.product }, { product: previous, transaction: { id: 9 } }, 8))).toEqual({
      subscription,
      product: previous,
      transaction: { id: 9 },
      site,
      event_id: 8,
    });
  });

  test("records with nothing to write still give valid JSON", () => {
    expect(JSON.parse(contextJson({ payment_profile: undefined }, undefined, 9))).toEqual({ site, event_id: 9 });
    expect(JSON.parse(contextJson({}, undefined, 10))).toEqual({ site, event_id: 10 });
  });
});

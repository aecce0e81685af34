import { mockControl, type MockControl } from "@billing-api/mock/control";
import { inject } from "vitest";
import { expectAnswer, namespace, statefulClient } from "./stateful.js";

export const day = 86_400;

/** The typed control client on the shared stateful mock, for one namespace (as a consuming team uses it). */
export function control(name: string): MockControl {
  return mockControl(inject("statefulMockUrl"), { namespace: name });
}

/** A card of the Test Gateway: `1` good, `2` takes no payments, `3` fails everything. */
export const card = (number: string) => ({ full_number: number, expiration_month: 12, expiration_year: 2030 });

/** A new customer signed up to `product` in a fresh namespace, paying with the Test Gateway card `number` (or with nothing). */
export async function signUp(prefix: string, number: string | undefined, extra: Record<string, unknown> = {}, product = "estate-basic") {
  const name = namespace(prefix);
  const billing = statefulClient(name);
  const customer = await billing.customers.createCustomer({ body: { customer: { first_name: "Ada", last_name: "Lovelace", email: "ada@example.com" } } });
  const created = await billing.subscriptions.createSubscription({
    body: {
      subscription: {
        product_handle: product,
        customer_id: customer.data!.customer.id,
        ...(number === undefined ? {} : { credit_card_attributes: card(number) }),
        ...extra,
      },
    },
  });
  await expectAnswer("createSubscription", 201, created);
  const subscription = created.data!.subscription;
  const read = async () => {
    const answer = await billing.subscriptions.readSubscription({ subscription_id: subscription.id });
    await expectAnswer("readSubscription", 200, answer);
    return answer.data!.subscription;
  };
  return { name, billing, subscription, read, clock: control(name).clock };
}

/** Seconds from the namespace's now to an ISO time, plus `extra`. */
export async function secondsUntil(clock: MockControl["clock"], at: string, extra = 60): Promise<number> {
  return Math.ceil((Date.parse(at) - (await clock.now()).getTime()) / 1000) + extra;
}

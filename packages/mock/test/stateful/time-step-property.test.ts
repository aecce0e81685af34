import { MemoryStoreProvider, type Clock, mockControl, startMock, type MockServer, type MockTimeChange, type Store, type StoreProvider } from "@billing-api/mock";
import fc from "fast-check";
import { afterAll, beforeAll, expect, test } from "vitest";

// A property of the time step: for any sequence of advances ending at the same time, the world ends
// the same (one jump or many small steps) and the changes are the same, in the same order. The mock
// runs here on frozen clocks (a StoreProvider of the public API), so both namespaces start at the
// same instant and nothing but the advances moves time.
const start = Date.parse("2027-01-10T12:00:00Z");
/** A card of the Test Gateway: `1` good, `2` takes no payments, `3` fails everything. */
const card = (number: string) => ({ full_number: number, expiration_month: 12, expiration_year: 2030 });

class FrozenClock implements Clock {
  private at = start;
  async now() {
    return new Date(this.at);
  }
  async set(date: Date) {
    this.at = date.getTime();
  }
  async advance(seconds: number) {
    this.at += seconds * 1000;
  }
  async reset() {
    this.at = start;
  }
}

/** The in-memory stores, each with a frozen clock. */
function frozenProvider(): StoreProvider {
  const memory = new MemoryStoreProvider();
  const stores = new Map<string, Store>();
  const frozen = (name: string, inner: Store): Store => {
    let store = stores.get(name);
    if (!store) {
      const clock = new FrozenClock();
      store = {
        clock,
        get: (kind, id) => inner.get(kind, id),
        put: (kind, id, record) => inner.put(kind, id, record),
        list: (kind, match) => inner.list(kind, match),
        delete: (kind, id) => inner.delete(kind, id),
        nextId: (kind, floor) => inner.nextId(kind, floor),
        dump: () => inner.dump(),
        clear: async () => (await inner.clear(), await clock.reset()),
      };
      stores.set(name, store);
    }
    return store;
  };
  return {
    description: "memory, frozen clocks",
    inTurn: (name, task) => memory.inTurn(name, (inner, created) => task(frozen(name, inner), created)),
    has: (name) => memory.has(name),
    async drop(name) {
      await memory.drop(name);
      stores.delete(name);
    },
    close: () => memory.close(),
  };
}

let mock: MockServer;
beforeAll(async () => {
  mock = await startMock({ stateful: true, port: 0, store: frozenProvider() });
});
afterAll(() => mock?.close());

async function send(name: string, method: string, path: string, body: unknown) {
  const response = await fetch(`${mock.url}${path}`, {
    method,
    headers: { authorization: `Basic ${Buffer.from("key:x").toString("base64")}`, "content-type": "application/json", "Mock-Namespace": name },
    body: JSON.stringify(body),
  });
  expect(response.status, `${method} ${path}`).toBeLessThan(300);
  return (await response.json()) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** The same world in a namespace: renewals on cards 1 and 2, trials, a cancellation at the period's end, an expiry, invoice collection. */
async function world(name: string) {
  const signUp = async (subscription: Record<string, unknown>) => {
    const { customer } = await send(name, "POST", "/customers.json", { customer: { first_name: "Ada", last_name: "Lovelace", email: "ada@example.com" } });
    return (await send(name, "POST", "/subscriptions.json", { subscription: { customer_id: customer.id, ...subscription } })).subscription;
  };
  await signUp({ product_handle: "estate-basic", credit_card_attributes: card("1") });
  await signUp({ product_handle: "estate-basic", credit_card_attributes: card("2") });
  await signUp({ product_handle: "estate-stables", credit_card_attributes: card("1") });
  await signUp({ product_handle: "estate-stables" });
  await signUp({ product_handle: "estate-gardens", credit_card_attributes: card("2"), expires_at: new Date(start + 50 * 86_400_000).toISOString() });
  await signUp({ product_handle: "estate-gardens", payment_collection_method: "remittance" });
  const leaving = await signUp({ product_handle: "estate-basic", credit_card_attributes: card("1") });
  await send(name, "DELETE", `/subscriptions/${leaving.id}.json`, { subscription: { cancel_at_end_of_period: true } });
}

let run = 0;
let eventful = 0;
let noticed = 0;
test("advancing in one jump or in many steps gives the same world, the same changes and the same notices", async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 40 * 86_400 }), { minLength: 1, maxLength: 6 }), async (steps) => {
      run += 1;
      const [jump, stepped] = [mockControl(mock.url, { namespace: `jump-${run}` }), mockControl(mock.url, { namespace: `steps-${run}` })];
      try {
        await world(jump.namespace!);
        await world(stepped.namespace!);
        const total = steps.reduce((sum, seconds) => sum + seconds, 0);
        const once = await jump.clock.advance(total);
        const many: MockTimeChange[] = [];
        const notices: MockTimeChange[] = [];
        for (const seconds of steps) {
          const step = await stepped.clock.advance(seconds);
          many.push(...step.changes);
          notices.push(...step.notices);
        }
        expect(many).toEqual(once.changes);
        // Each notice once, whether its moment was passed in one jump or by the step that reached it.
        expect(notices).toEqual(once.notices);
        if (once.changes.length > 0) eventful += 1;
        if (once.notices.length > 0) noticed += 1;
        expect((await stepped.state()).resources).toEqual((await jump.state()).resources);
        expect((await stepped.clock.now()).getTime()).toBe(start + total * 1000);
      } finally {
        await Promise.all([jump.reset(), stepped.reset()]);
      }
    }),
    { seed: 20261206, numRuns: 12 },
  );
  // The property was tried on worlds where things happened, not only on quiet ones.
  expect(eventful).toBeGreaterThan(6);
  expect(noticed).toBeGreaterThan(6);
}, 180_000);

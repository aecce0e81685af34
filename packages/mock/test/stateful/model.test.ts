import fc from "fast-check";
import { startMock, type MockServer } from "@billing-api/mock";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { noRedisMessage, redisServerPath, startRedis, type RedisServer } from "@billing-api/test-support/redis";
import { expectValid, mockControl, namespace, sendStateful } from "@billing-api/test-support/stateful";

// Model-based: random sequences of creates, reads, updates, deletes, cancels, reactivations and
// clock steps (the namespace's clock advanced by random amounts) across two namespaces. After each step the mock agrees with this small model, and every answer is
// valid against the spec (also the reads of groups and lists the model does not track). Seeded and bounded, so a failure replays and the run takes seconds.
interface Customer {
  first_name: string;
  reference: string | null;
}
interface Subscription {
  state: string;
  customer: number;
}
interface Namespace {
  name: string;
  /** The mocks that serve it, asked in turn (two processes on one Redis, or the one in-memory mock). */
  urls: string[];
  step: number;
  customers: Map<number, Customer>;
  subscriptions: Map<number, Subscription>;
}
type Model = Namespace[];
type Real = Record<string, never>;

/** An id of the model's, picked by `pick`, or one no store has. */
const idOf = <T>(records: Map<number, T>, pick: number, missing: boolean) => {
  const ids = [...records.keys()];
  return missing || ids.length === 0 ? 900_000 + pick : ids[pick % ids.length]!;
};

async function call(operationId: string, ns: Namespace, method: string, path: string, body?: unknown) {
  const result = await sendStateful(ns.name, method, path, body, {}, ns.urls[(ns.step += 1) % ns.urls.length]);
  expectValid(operationId, result);
  return result;
}

class CreateCustomer implements fc.AsyncCommand<Model, Real> {
  constructor(readonly ns: number, readonly firstName: string, readonly reference: string | null) {}
  check = () => true;
  async run(model: Model) {
    const ns = model[this.ns]!;
    const result = await call("createCustomer", ns, "POST", "/customers.json", {
      customer: { first_name: this.firstName, last_name: "Model", email: "model@example.com", ...(this.reference ? { reference: this.reference } : {}) },
    });
    const taken = this.reference !== null && [...ns.customers.values()].some((c) => c.reference === this.reference);
    if (taken) return void expect(result.status).toBe(422);
    expect(result.status).toBe(201);
    expect(ns.customers.has(result.body.customer.id)).toBe(false);
    ns.customers.set(result.body.customer.id, { first_name: this.firstName, reference: this.reference });
  }
  toString = () => `createCustomer(ns${this.ns}, ${this.firstName}, ${this.reference})`;
}

class ReadCustomer implements fc.AsyncCommand<Model, Real> {
  constructor(readonly ns: number, readonly pick: number, readonly missing: boolean) {}
  check = () => true;
  async run(model: Model) {
    const ns = model[this.ns]!;
    const id = idOf(ns.customers, this.pick, this.missing);
    const result = await call("readCustomer", ns, "GET", `/customers/${id}.json`);
    const expected = ns.customers.get(id);
    if (!expected) return void expect(result.status).toBe(404);
    expect(result.status).toBe(200);
    expect(result.body.customer).toMatchObject({ id, ...expected });
  }
  toString = () => `readCustomer(ns${this.ns}, #${this.pick}${this.missing ? ", missing" : ""})`;
}

class UpdateCustomer implements fc.AsyncCommand<Model, Real> {
  constructor(readonly ns: number, readonly pick: number, readonly firstName: string) {}
  check = (model: Readonly<Model>) => model[this.ns]!.customers.size > 0;
  async run(model: Model) {
    const ns = model[this.ns]!;
    const id = idOf(ns.customers, this.pick, false);
    const result = await call("updateCustomer", ns, "PUT", `/customers/${id}.json`, { customer: { first_name: this.firstName } });
    expect(result.status).toBe(200);
    ns.customers.get(id)!.first_name = this.firstName;
    expect(result.body.customer).toMatchObject({ id, ...ns.customers.get(id) });
  }
  toString = () => `updateCustomer(ns${this.ns}, #${this.pick}, ${this.firstName})`;
}

class DeleteCustomer implements fc.AsyncCommand<Model, Real> {
  constructor(readonly ns: number, readonly pick: number, readonly missing: boolean) {}
  check = () => true;
  async run(model: Model) {
    const ns = model[this.ns]!;
    const id = idOf(ns.customers, this.pick, this.missing);
    const result = await call("deleteCustomer", ns, "DELETE", `/customers/${id}.json`);
    // A customer with subscriptions (in any state) is kept: they would point at no one.
    const subscribed = [...ns.subscriptions.values()].some((s) => s.customer === id);
    if (ns.customers.has(id) && subscribed) return void expect(result.status).toBe(422);
    expect(result.status).toBe(ns.customers.delete(id) ? 204 : 404);
  }
  toString = () => `deleteCustomer(ns${this.ns}, #${this.pick}${this.missing ? ", missing" : ""})`;
}

class CreateSubscription implements fc.AsyncCommand<Model, Real> {
  constructor(readonly ns: number, readonly pick: number) {}
  check = (model: Readonly<Model>) => model[this.ns]!.customers.size > 0;
  async run(model: Model) {
    const ns = model[this.ns]!;
    const customerId = idOf(ns.customers, this.pick, false);
    const result = await call("createSubscription", ns, "POST", "/subscriptions.json", {
      subscription: { product_handle: "estate-basic", customer_id: customerId, credit_card_attributes: { full_number: "1", expiration_month: 12, expiration_year: 2030 } },
    });
    expect(result.status).toBe(201);
    expect(result.body.subscription).toMatchObject({ state: "active", customer: { id: customerId } });
    expect(ns.subscriptions.has(result.body.subscription.id)).toBe(false);
    ns.subscriptions.set(result.body.subscription.id, { state: "active", customer: customerId });
  }
  toString = () => `createSubscription(ns${this.ns}, customer #${this.pick})`;
}

class CancelSubscription implements fc.AsyncCommand<Model, Real> {
  constructor(readonly ns: number, readonly pick: number) {}
  check = (model: Readonly<Model>) => model[this.ns]!.subscriptions.size > 0;
  async run(model: Model) {
    const ns = model[this.ns]!;
    const id = idOf(ns.subscriptions, this.pick, false);
    const result = await call("cancelSubscription", ns, "DELETE", `/subscriptions/${id}.json`, { subscription: { cancellation_message: "model" } });
    const subscription = ns.subscriptions.get(id)!;
    expect(result.status).toBe(subscription.state === "canceled" ? 422 : 200);
    subscription.state = "canceled";
  }
  toString = () => `cancelSubscription(ns${this.ns}, #${this.pick})`;
}

class ReactivateSubscription implements fc.AsyncCommand<Model, Real> {
  constructor(readonly ns: number, readonly pick: number) {}
  check = (model: Readonly<Model>) => model[this.ns]!.subscriptions.size > 0;
  async run(model: Model) {
    const ns = model[this.ns]!;
    const id = idOf(ns.subscriptions, this.pick, false);
    const result = await call("reactivateSubscription", ns, "PUT", `/subscriptions/${id}/reactivate.json`, {});
    const subscription = ns.subscriptions.get(id)!;
    const reactivatable = ["canceled", "unpaid", "trial_ended"].includes(subscription.state);
    expect(result.status).toBe(reactivatable ? 200 : 422);
    if (reactivatable) subscription.state = "active";
  }
  toString = () => `reactivateSubscription(ns${this.ns}, #${this.pick})`;
}

class ReadSubscription implements fc.AsyncCommand<Model, Real> {
  constructor(readonly ns: number, readonly pick: number, readonly missing: boolean) {}
  check = () => true;
  async run(model: Model) {
    const ns = model[this.ns]!;
    const id = idOf(ns.subscriptions, this.pick, this.missing);
    const result = await call("readSubscription", ns, "GET", `/subscriptions/${id}.json`);
    const expected = ns.subscriptions.get(id);
    if (!expected) return void expect(result.status).toBe(404);
    expect(result.body.subscription).toMatchObject({ id, state: expected.state });
  }
  toString = () => `readSubscription(ns${this.ns}, #${this.pick}${this.missing ? ", missing" : ""})`;
}

/**
 * The namespace's clock moves on: what falls due happens (renewals on the good card, cancellations
 * at the period's end). The clock's summary says which subscription went from which state to which;
 * the model checks the "from" and learns the "to", and the later reads check the mock kept it.
 */
class AdvanceClock implements fc.AsyncCommand<Model, Real> {
  constructor(readonly ns: number, readonly seconds: number) {}
  check = () => true;
  async run(model: Model) {
    const ns = model[this.ns]!;
    const before = Date.parse((await mockControl(ns.name, ns.urls[0]).state()).body!.now);
    const result = await mockControl(ns.name, ns.urls[0]).advance(this.seconds);
    expect(result.status).toBe(200);
    expect(Date.parse(result.body!.now)).toBeGreaterThanOrEqual(before + this.seconds * 1000);
    for (const change of result.body!.changes as { kind: string; id: string; from?: string; to?: string; at: string }[]) {
      expect(Date.parse(change.at)).toBeLessThanOrEqual(Date.parse(result.body!.now));
      if (change.kind !== "subscription") continue;
      const subscription = ns.subscriptions.get(Number(change.id));
      if (!subscription) continue;
      expect(change.from).toBe(subscription.state);
      subscription.state = change.to!;
    }
  }
  toString = () => `advanceClock(ns${this.ns}, ${this.seconds}s)`;
}

/** Reads of what the other commands touch indirectly: whatever the model says, a documented answer. */
const around: [string, (ns: Namespace, pick: number) => string][] = [
  ["readSubscriptionGroup", () => "/subscription_groups/grp_b9fkz5jyd7tq.json?include[]=current_billing_amount_in_cents"],
  ["findSubscriptionGroup", (ns, pick) => `/subscription_groups/lookup.json?subscription_id=${idOf(ns.subscriptions, pick, false)}`],
  ["listSubscriptionGroups", () => "/subscription_groups.json?include[]=account_balances"],
  ["listCustomerSubscriptions", (ns, pick) => `/customers/${idOf(ns.customers, pick, false)}/subscriptions.json`],
  ["listSubscriptions", () => "/subscriptions.json?per_page=200"],
  ["listCustomers", () => "/customers.json?per_page=200"],
  ["readBillingPortalLink", (ns, pick) => `/portal/customers/${idOf(ns.customers, pick, false)}/management_link.json`],
];

class ReadAround implements fc.AsyncCommand<Model, Real> {
  constructor(readonly ns: number, readonly which: number, readonly pick: number) {}
  check = () => true;
  async run(model: Model) {
    const ns = model[this.ns]!;
    const [operationId, path] = around[this.which % around.length]!;
    const result = await call(operationId, ns, "GET", path(ns, this.pick));
    expect(result.status).toBeLessThan(500);
  }
  toString = () => `${around[this.which % around.length]![0]}(ns${this.ns}, #${this.pick})`;
}

/** Writes the model does not track (their effects on customers and subscriptions' state are none): a documented answer. */
const pokes: [string, string, (ns: Namespace, pick: number) => string, (ns: Namespace, pick: number) => unknown][] = [
  ["createPaymentProfile", "POST", () => "/payment_profiles.json", (ns, pick) => ({ payment_profile: { customer_id: idOf(ns.customers, pick, false), full_number: "4111111111111111", expiration_month: 1, expiration_year: 2031 } })],
  ["deleteUnusedPaymentProfile", "DELETE", () => "/payment_profiles/10088716.json", () => undefined],
  ["enableBillingPortalForCustomer", "POST", (ns, pick) => `/portal/customers/${idOf(ns.customers, pick, false)}/enable.json?auto_invite=1`, () => undefined],
  ["revokeBillingPortalAccess", "DELETE", (ns, pick) => `/portal/customers/${idOf(ns.customers, pick, false)}/invitations/revoke.json`, () => undefined],
  ["resendBillingPortalInvitation", "POST", (ns, pick) => `/portal/customers/${idOf(ns.customers, pick, false)}/invitations/invite.json`, () => undefined],
  ["createSubscriptionCharge", "POST", (ns, pick) => `/subscriptions/${idOf(ns.subscriptions, pick, false)}/charges.json`, () => ({ charge: { amount_in_cents: 250, memo: "model" } })],
  ["createSubscriptionAdjustment", "POST", (ns, pick) => `/subscriptions/${idOf(ns.subscriptions, pick, false)}/adjustments.json`, () => ({ adjustment: { amount: "-1.50", memo: "model" } })],
  ["applyCouponsToSubscription", "POST", (ns, pick) => `/subscriptions/${idOf(ns.subscriptions, pick, false)}/add_coupon.json`, () => ({ codes: ["SPRING5"] })],
  ["migrateSubscriptionProduct", "POST", (ns, pick) => `/subscriptions/${idOf(ns.subscriptions, pick, false)}/migrations.json`, () => ({ migration: { product_handle: "estate-gardens" } })],
  ["initiateDelayedCancellation", "POST", (ns, pick) => `/subscriptions/${idOf(ns.subscriptions, pick, false)}/delayed_cancel.json`, () => ({})],
  ["addSubscriptionToGroup", "POST", (ns, pick) => `/subscriptions/${idOf(ns.subscriptions, pick, false)}/group.json`, () => ({ group: true })],
  ["removeSubscriptionFromGroup", "DELETE", (ns, pick) => `/subscriptions/${idOf(ns.subscriptions, pick, false)}/group.json`, () => undefined],
  ["updateSubscriptionGroupMembers", "PUT", () => "/subscription_groups/grp_b9fkz5jyd7tq.json", (ns, pick) => ({ subscription_group: { member_ids: [idOf(ns.subscriptions, pick, false)] } })],
  ["deleteSubscriptionGroup", "DELETE", () => "/subscription_groups/grp_b9fkz5jyd7tq.json", () => undefined],
  ["createPortalSession", "POST", () => "/portal/sessions.json", (ns, pick) => ({ portal_session: { customer_id: idOf(ns.customers, pick, false) } })],
];

class Poke implements fc.AsyncCommand<Model, Real> {
  constructor(readonly ns: number, readonly which: number, readonly pick: number) {}
  check = (model: Readonly<Model>) => model[this.ns]!.customers.size > 0 && model[this.ns]!.subscriptions.size > 0;
  async run(model: Model) {
    const ns = model[this.ns]!;
    const [operationId, method, path, body] = pokes[this.which % pokes.length]!;
    const result = await call(operationId, ns, method, path(ns, this.pick), body(ns, this.pick));
    expect(result.status).toBeLessThan(500);
  }
  toString = () => `${pokes[this.which % pokes.length]![0]}(ns${this.ns}, #${this.pick})`;
}

const ns = fc.integer({ min: 0, max: 1 });
const pick = fc.nat({ max: 50 });
const name = fc.constantFrom("Ada", "Grace", "Edsger", "Barbara", "Alan");
const reference = fc.option(fc.constantFrom("ref-a", "ref-b", "ref-c", "mv-0042"), { nil: null });
const commands = [
  fc.tuple(ns, name, reference).map(([n, f, r]) => new CreateCustomer(n, f, r)),
  fc.tuple(ns, pick, fc.boolean()).map(([n, p, m]) => new ReadCustomer(n, p, m)),
  fc.tuple(ns, pick, name).map(([n, p, f]) => new UpdateCustomer(n, p, f)),
  fc.tuple(ns, pick, fc.boolean()).map(([n, p, m]) => new DeleteCustomer(n, p, m)),
  fc.tuple(ns, pick).map(([n, p]) => new CreateSubscription(n, p)),
  fc.tuple(ns, pick).map(([n, p]) => new CancelSubscription(n, p)),
  fc.tuple(ns, pick).map(([n, p]) => new ReactivateSubscription(n, p)),
  fc.tuple(ns, pick, fc.boolean()).map(([n, p, m]) => new ReadSubscription(n, p, m)),
  fc.tuple(ns, fc.nat(), pick).map(([n, w, p]) => new ReadAround(n, w, p)),
  fc.tuple(ns, fc.nat(), pick).map(([n, w, p]) => new Poke(n, w, p)),
  // Up to 45 days: often past a period's end, sometimes not.
  fc.tuple(ns, fc.integer({ min: 0, max: 45 * 86_400 })).map(([n, seconds]) => new AdvanceClock(n, seconds)),
];

/** A fresh namespace's model: its seeds, as the mock's own state shows them. */
async function seeded(prefix: string, urls: string[]): Promise<Namespace> {
  const name = namespace(prefix);
  const { status, body } = await mockControl(name, urls[0]).state();
  expect(status, JSON.stringify(body)).toBe(200);
  const customers = new Map<number, Customer>(
    Object.values(body!.resources.customer as Record<string, { id: number; first_name: string; reference: string | null }>).map((c) => [c.id, { first_name: c.first_name, reference: c.reference }]),
  );
  const subscriptions = new Map<number, Subscription>(
    Object.values(body!.resources.subscription as Record<string, { id: number; state: string; customer: { id: number } }>).map((s) => [
      s.id,
      { state: s.state, customer: s.customer.id },
    ]),
  );
  return { name, urls, step: 0, customers, subscriptions };
}

/** The model's runs against the mocks at `urls` (each namespace's requests spread over them). */
async function agreesWithModel(urls: () => string[], numRuns: number) {
  await fc.assert(
    fc.asyncProperty(fc.commands(commands, { maxCommands: 40, size: "max" }), async (cmds) => {
      const model = [await seeded("model-a", urls()), await seeded("model-b", urls())];
      try {
        await fc.asyncModelRun(() => ({ model, real: {} }), cmds);
      } finally {
        await Promise.all(model.map((n) => mockControl(n.name, n.urls[0]).reset()));
      }
    }),
    { seed: 20261202, numRuns },
  );
}

test("the stateful mock agrees with a model of customers and subscriptions, in two namespaces", async () => {
  await agreesWithModel(() => [inject("statefulMockUrl")], 25);
}, 120_000);

// The same model, on two mocks that share one Redis (as two processes behind a balancer would):
// each namespace's requests go to one and the other in turn.
describe.skipIf(!redisServerPath)(`on the Redis store${redisServerPath ? "" : ` (${noRedisMessage})`}`, () => {
  let redis: RedisServer;
  let mocks: MockServer[] = [];
  beforeAll(async () => {
    redis = await startRedis();
    mocks = await Promise.all([0, 1].map(() => startMock({ port: 0, stateful: true, store: redis.url })));
  });
  afterAll(async () => {
    await Promise.all(mocks.map((mock) => mock.close()));
    await redis?.dispose();
  });

  test("two mocks on one Redis agree with the same model, requests alternating between them", async () => {
    await agreesWithModel(() => mocks.map((mock) => mock.url), 10);
  }, 180_000);
});

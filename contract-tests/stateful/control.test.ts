import { createBillingClient } from "@billing-api/client";
import { MemoryStoreProvider, startMock } from "@billing-api/mock";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { send } from "@billing-api/test-support/raw";
import { mockControl, namespace, sendStateful, statefulClient } from "../support/stateful.js";

describe("control routes under /__mock/", () => {
  test("reset puts the namespace back to the seeds", async () => {
    const name = namespace("reset");
    const billing = statefulClient(name);
    await billing.customers.updateCustomer({ id: 150, body: { customer: { first_name: "Patsy" } } });
    expect((await billing.customers.readCustomer({ id: 150 })).data!.customer.first_name).toBe("Patsy");
    expect((await mockControl(name).reset()).status).toBe(204);
    expect((await billing.customers.readCustomer({ id: 150 })).data!.customer.first_name).toBe("Martha");
  });

  test("state shows the namespace's resources and its clock", async () => {
    const name = namespace("state");
    const { data } = await statefulClient(name).customers.createCustomer({ body: { customer: { first_name: "Ada", last_name: "L", email: "ada@example.com" } } });
    const state = await mockControl(name).state();
    expect(state.status).toBe(200);
    expect(state.body!.namespace).toBe(name);
    expect(Object.keys(state.body!.resources.customer)).toEqual(expect.arrayContaining(["150", "151", String(data!.customer.id)]));
    expect(state.body!.resources.customer[String(data!.customer.id)].first_name).toBe("Ada");
    expect(Math.abs(Date.parse(state.body!.now) - Date.now())).toBeLessThan(60_000);
  });

  test("the clock is set or advanced per namespace, and the answers use it", async () => {
    const [name, other] = [namespace("clock"), namespace("clock-other")];
    expect((await mockControl(name).setNow("2030-01-01T00:00:00Z")).body!.now).toMatch(/^2030-01-01T00:00:0\dZ$/);
    const advanced = await mockControl(name).advance(3600);
    expect(advanced.body!.now).toMatch(/^2030-01-01T01:00:0\dZ$/);
    const { data } = await statefulClient(name).customers.createCustomer({ body: { customer: { first_name: "Future", last_name: "F", email: "f@example.com" } } });
    expect(data!.customer.created_at).toMatch(/^2030-01-01T01:00:0\dZ$/);
    expect(Date.parse((await mockControl(other).state()).body!.now)).toBeLessThan(Date.parse("2030-01-01T00:00:00Z"));
  });

  test("a clock body must be now or advance_seconds", async () => {
    const name = namespace("clock-bad");
    for (const body of [{}, { now: "tomorrow" }, { advance_seconds: "60" }, { now: "2030-01-01T00:00:00Z", advance_seconds: 1 }]) {
      const refused = await sendStateful(name, "POST", "/__mock/clock", body);
      expect(refused.status, JSON.stringify(body)).toBe(422);
      expect(refused.body.errors[0]).toContain("advance_seconds");
    }
  });

  test("unknown control routes and wrong methods are refused in the API's error shape", async () => {
    const name = namespace("control-404");
    const unknown = await sendStateful(name, "GET", "/__mock/nothing");
    expect(unknown).toMatchObject({ status: 404, body: { errors: [expect.stringContaining("/__mock/reset")] } });
    const wrongMethod = await sendStateful(name, "GET", "/__mock/reset");
    expect(wrongMethod).toMatchObject({ status: 405, body: { errors: ["/__mock/reset takes POST."] } });
  });

  test("the stateless mock refuses them, saying how to get a stateful one", async () => {
    const refused = await send("POST", "/__mock/reset");
    expect(refused.status).toBe(404);
    expect(refused.body.errors[0]).toContain("--stateful");
  });
});

describe("startMock's own controls, --api-key and the memory caps", () => {
  let mock: Awaited<ReturnType<typeof startMock>>;
  beforeAll(async () => {
    mock = await startMock({ port: 0, stateful: true, apiKey: "right-key", store: new MemoryStoreProvider({ namespaces: 3, records: 40 }) });
  });
  afterAll(() => mock.close());
  const client = (apiKey: string, name = "default") => createBillingClient({ baseUrl: mock.url, apiKey, headers: { "Mock-Namespace": name }, retry: false });

  test("only the configured key is accepted; any other gets the API's plain-text 401", async () => {
    expect((await client("right-key").customers.readCustomer({ id: 150 })).response.status).toBe(200);
    const wrong = await client("wrong-key").customers.readCustomer({ id: 150 });
    expect(wrong.response.status).toBe(401);
    expect(wrong.error?.body).toBe("HTTP Basic: Access denied.\n");
  });

  test("the control routes take the configured key too; without it or with another, the plain-text 401 and nothing changes", async () => {
    // A customer with no subscriptions (one with subscriptions cannot be deleted).
    const created = await client("right-key", "guarded").customers.createCustomer({ body: { customer: { first_name: "Grace", last_name: "Hopper", email: "grace@example.com" } } });
    const id = created.data!.customer.id;
    expect((await client("right-key", "guarded").customers.deleteCustomer({ id })).response.status).toBe(204);
    const basic = (key: string) => ({ Authorization: `Basic ${Buffer.from(`${key}:x`).toString("base64")}` });
    const control = (route: string, headers: Record<string, string>, method = "POST") =>
      fetch(`${mock.url}/__mock/${route}`, { method, headers: { "Mock-Namespace": "guarded", "Content-Type": "application/json", ...headers }, body: method === "POST" ? JSON.stringify({ advance_seconds: 60 }) : undefined });
    for (const headers of [{}, basic("wrong-key"), { Authorization: "Bearer right-key" }]) {
      for (const [route, method] of [["reset", "POST"], ["clock", "POST"], ["state", "GET"]] as const) {
        const refused = await control(route, headers, method);
        expect(refused.status, `${method} ${route} ${JSON.stringify(headers)}`).toBe(401);
        expect(refused.headers.get("content-type")).toBe("text/plain; charset=utf-8");
        expect(await refused.text()).toBe("HTTP Basic: Access denied.\n");
      }
    }
    // The refused reset did not reset: the customer is still deleted in that namespace.
    expect((await client("right-key", "guarded").customers.readCustomer({ id })).response.status).toBe(404);
    const state = await control("state", basic("right-key"), "GET");
    expect(state.status).toBe(200);
    expect(Object.keys(((await state.json()) as { resources: { customer: object } }).resources.customer)).not.toContain(String(id));
    expect((await control("reset", basic("right-key"))).status).toBe(204);
    expect((await client("right-key", "guarded").customers.readCustomer({ id: 150 })).response.status).toBe(200);
    await mock.reset("guarded");
  });

  test("without --api-key the control routes need no key, as before", async () => {
    expect((await mockControl(namespace("unguarded")).state()).status).toBe(200);
  });

  test("the stateless mock takes apiKey too", async () => {
    const stateless = await startMock({ port: 0, apiKey: "right-key" });
    try {
      const call = (apiKey: string) => createBillingClient({ baseUrl: stateless.url, apiKey, retry: false }).customers.readCustomer({ id: 150 });
      expect((await call("right-key")).response.status).toBe(200);
      expect((await call("wrong-key")).response.status).toBe(401);
    } finally {
      await stateless.close();
    }
  });

  test("any key is accepted without --api-key, as before", async () => {
    const anyKey = createBillingClient({ baseUrl: inject("statefulMockUrl"), apiKey: "anything-at-all", retry: false });
    expect((await anyKey.customers.readCustomer({ id: 150 })).response.status).toBe(200);
  });

  test("reset(), state() and clock from startMock's returned object", async () => {
    await client("right-key").customers.deleteCustomer({ id: 151 });
    expect(Object.keys((await mock.state()).resources.customer!)).not.toContain("151");
    await mock.clock.set("2031-05-01T12:00:00Z");
    await mock.clock.advance(60);
    expect((await mock.clock.now()).toISOString()).toMatch(/^2031-05-01T12:01:0\d/);
    await mock.reset();
    expect(Object.keys((await mock.state()).resources.customer!)).toContain("151");
    expect((await mock.clock.now()).getUTCFullYear()).toBeLessThan(2031);
  });

  test("a namespace full of resources refuses the next create with a clear error", async () => {
    const billing = client("right-key", "full");
    let status = 201;
    let body: unknown;
    for (let i = 0; i < 40 && status === 201; i++) {
      const result = await billing.customers.createCustomer({ body: { customer: { first_name: `C${i}`, last_name: "X", email: `c${i}@example.com` } } });
      status = result.response.status;
      body = result.error?.body;
    }
    expect(status).toBe(409);
    expect(JSON.stringify(body)).toContain('namespace \\"full\\" is full');
    expect((await billing.customers.readCustomer({ id: 150 })).response.status).toBe(200);
  });

  test("more namespaces than the cap are refused, until one is reset", async () => {
    await mock.reset("full");
    for (const name of ["a", "b"]) expect((await client("right-key", name).customers.readCustomer({ id: 150 })).response.status).toBe(200);
    const refused = await client("right-key", "c").customers.readCustomer({ id: 150 });
    expect(refused.response.status).toBe(409);
    expect(JSON.stringify(refused.error?.body)).toContain("at most 3 namespaces");
    await mock.reset("a");
    expect((await client("right-key", "c").customers.readCustomer({ id: 150 })).response.status).toBe(200);
  });
});

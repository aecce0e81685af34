import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import * as main from "@billing-api/mock";
import { MockControlError, mockControl } from "@billing-api/mock/control";
import { describe, expect, inject, test } from "vitest";
import { namespace, statefulClient } from "../support/stateful.js";

// The typed control client, as a consuming team's test file uses it: one base URL and namespace.
describe("mockControl", () => {
  test("reset, state and the clock (now, set, advance) for one namespace", async () => {
    const name = namespace("control-client");
    const control = mockControl(inject("statefulMockUrl"), { namespace: name });
    const billing = statefulClient(name);
    await billing.customers.updateCustomer({ id: 150, body: { customer: { first_name: "Patsy" } } });
    expect((await control.state()).resources.customer?.["150"]?.first_name).toBe("Patsy");
    await control.reset();
    expect((await control.state()).resources.customer?.["150"]?.first_name).toBe("Martha");

    const set = await control.clock.set("2031-05-01T12:00:00Z");
    expect(set).toMatchObject({ namespace: name, now: expect.stringMatching(/^2031-05-01T12:00:0\dZ$/) });
    expect(set.changes.length).toBeGreaterThan(0);
    const advanced = await control.clock.advance(60);
    expect(advanced.now).toMatch(/^2031-05-01T12:01:0\dZ$/);
    expect((await control.clock.now()).toISOString()).toMatch(/^2031-05-01T12:01:0\d/);
  });

  test("clocks move forward only: a negative advance or a time before now is refused", async () => {
    const control = mockControl(inject("statefulMockUrl"), { namespace: namespace("control-forward") });
    const refusal = await control.clock.advance(-60).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(MockControlError);
    expect(refusal).toMatchObject({ status: 422, errors: [expect.stringContaining("forward")] });
    await expect(control.clock.set("2001-01-01T00:00:00Z")).rejects.toMatchObject({ status: 422 });
    await expect(control.clock.set("+100000-01-01T00:00:00Z")).rejects.toMatchObject({ status: 422 });
  });

  test("GET /__mock/clock reads the time", async () => {
    const name = namespace("control-get");
    const response = await fetch(`${inject("statefulMockUrl")}/__mock/clock`, { headers: { "Mock-Namespace": name } });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { namespace: string; now: string };
    expect(body.namespace).toBe(name);
    expect(Math.abs(Date.parse(body.now) - Date.now())).toBeLessThan(60_000);
  });

  test("the main entry re-exports it; the subpath loads no Prism (it imports nothing at all)", async () => {
    expect(main.mockControl).toBe(mockControl);
    const file = createRequire(import.meta.url).resolve("@billing-api/mock/control");
    expect(await readFile(file, "utf8")).not.toMatch(/^\s*import\s/m);
  });
});

import { MemoryStoreProvider, StoreFull } from "@billing-api/mock";
import { describe, expect, test } from "vitest";

// The in-memory store behind the stateful mock: what any store must do for the rules.
describe("the in-memory store", () => {
  test("lists by a field from its index, in insertion order, through updates and deletes", async () => {
    const store = new MemoryStoreProvider().namespace("index");
    await store.put("profile", "1", { id: 1, customer_id: 150 });
    await store.put("profile", "2", { id: 2, customer_id: 151 });
    await store.put("profile", "3", { id: 3, customer_id: 150 });
    const of = async (customer: string) => (await store.list("profile", { field: "customer_id", value: customer })).map((p) => p.id);
    expect(await of("150")).toEqual([1, 3]);
    await store.put("profile", "1", { id: 1, customer_id: 151 }); // moved to another customer
    await store.put("profile", "4", { id: 4, customer_id: 151 });
    expect(await of("150")).toEqual([3]);
    expect(await of("151")).toEqual([1, 2, 4]);
    await store.delete("profile", "2");
    expect(await of("151")).toEqual([1, 4]);
    expect(await of("999")).toEqual([]);
    expect((await store.list("profile")).map((p) => p.id)).toEqual([1, 3, 4]);
  });

  test("matches dotted paths, and forgets everything on clear", async () => {
    const store = new MemoryStoreProvider().namespace("paths");
    await store.put("subscription", "222", { id: 222, customer: { id: 150 } });
    expect(await store.list("subscription", { field: "customer.id", value: "150" })).toHaveLength(1);
    store.clock.advance(60);
    await store.clear();
    expect(await store.list("subscription", { field: "customer.id", value: "150" })).toEqual([]);
    expect(Math.abs(store.clock.now().getTime() - Date.now())).toBeLessThan(1000);
  });

  test("fresh ids go above the floor and never repeat", async () => {
    const store = new MemoryStoreProvider().namespace("ids");
    expect(await store.nextId("customer", 151)).toBe(152);
    expect(await store.nextId("customer", 151)).toBe(153);
    expect(await store.nextId("customer", 500)).toBe(501);
  });

  test("refuses a record past the cap, but replaces existing ones", async () => {
    const store = new MemoryStoreProvider({ namespaces: 1, records: 2 }).namespace("cap");
    await store.put("customer", "1", { id: 1 });
    await store.put("customer", "2", { id: 2 });
    await store.put("customer", "2", { id: 2, name: "again" });
    await expect(store.put("customer", "3", { id: 3 })).rejects.toBeInstanceOf(StoreFull);
    await store.delete("customer", "1");
    await store.put("customer", "3", { id: 3 });
  });
});

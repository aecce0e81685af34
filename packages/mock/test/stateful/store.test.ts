import { MemoryStoreProvider, RedisStoreProvider, StoreFull, type Store, type StoreLimits, type StoreProvider } from "@billing-api/mock";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { noRedisMessage, redisServerPath, startRedis, type RedisServer } from "@billing-api/test-support/redis";

// What any store behind the stateful mock must do for the rules: one suite, run against the
// in-memory store and the Redis one (a real redis-server of the test's own).
function storeContract(makeProvider: (limits?: Partial<StoreLimits>) => StoreProvider) {
  const providers: StoreProvider[] = [];
  const provider = (limits?: Partial<StoreLimits>) => {
    const made = makeProvider(limits);
    providers.push(made);
    return made;
  };
  afterAll(async () => {
    await Promise.all(providers.map((p) => p.close()));
  });
  let counter = 0;
  const fresh = (prefix: string) => `${prefix}-${process.pid}-${(counter += 1)}`;
  /** One turn on the namespace. */
  const on = <T>(p: StoreProvider, name: string, task: (store: Store) => Promise<T>) => p.inTurn(name, (store) => task(store));

  test("lists by a field from its index, in insertion order, through updates and deletes", async () => {
    const p = provider();
    const name = fresh("index");
    const of = (customer: string) => on(p, name, async (s) => (await s.list("profile", { field: "customer_id", value: customer })).map((r) => r.id));
    await on(p, name, async (s) => {
      await s.put("profile", "1", { id: 1, customer_id: 150 });
      await s.put("profile", "2", { id: 2, customer_id: 151 });
      await s.put("profile", "3", { id: 3, customer_id: 150 });
    });
    expect(await of("150")).toEqual([1, 3]);
    await on(p, name, async (s) => {
      await s.put("profile", "1", { id: 1, customer_id: 151 }); // moved to another customer
      await s.put("profile", "4", { id: 4, customer_id: 151 });
    });
    expect(await of("150")).toEqual([3]);
    expect(await of("151")).toEqual([1, 2, 4]);
    expect(await on(p, name, (s) => s.delete("profile", "2"))).toBe(true);
    expect(await on(p, name, (s) => s.delete("profile", "2"))).toBe(false);
    expect(await of("151")).toEqual([1, 4]);
    expect(await of("999")).toEqual([]);
    expect((await on(p, name, (s) => s.list("profile"))).map((r) => r.id)).toEqual([1, 3, 4]);
  });

  test("a namespace's first turn is its creation; a drop makes the next one a creation again", async () => {
    const p = provider();
    const name = fresh("life");
    expect(await p.has(name)).toBe(false);
    expect(await p.inTurn(name, async (s, created) => (await s.put("customer", "1", { id: 1 }), created))).toBe(true);
    expect(await p.has(name)).toBe(true);
    expect(await p.inTurn(name, async (_, created) => created)).toBe(false);
    await p.drop(name);
    expect(await p.has(name)).toBe(false);
    expect(await p.inTurn(name, async (s, created) => [created, await s.get("customer", "1")])).toEqual([true, undefined]);
  });

  test("matches dotted paths, and forgets everything on clear, the clock too", async () => {
    const p = provider();
    const name = fresh("paths");
    await on(p, name, async (s) => {
      await s.put("subscription", "222", { id: 222, customer: { id: 150 } });
      await s.clock.advance(3600);
    });
    expect(await on(p, name, (s) => s.list("subscription", { field: "customer.id", value: "150" }))).toHaveLength(1);
    const later = await on(p, name, (s) => s.clock.now());
    expect(later.getTime() - Date.now()).toBeGreaterThan(3000 * 1000);
    await on(p, name, (s) => s.clear());
    expect(await on(p, name, (s) => s.list("subscription", { field: "customer.id", value: "150" }))).toEqual([]);
    expect(Math.abs((await on(p, name, (s) => s.clock.now())).getTime() - Date.now())).toBeLessThan(600 * 1000);
    await on(p, name, (s) => s.clock.set(new Date("2031-05-01T12:00:00Z")));
    expect((await on(p, name, (s) => s.clock.now())).getUTCFullYear()).toBe(2031);
  });

  test("fresh ids go above the floor and never repeat", async () => {
    const p = provider();
    const name = fresh("ids");
    expect(await on(p, name, (s) => s.nextId("customer", 151))).toBe(152);
    expect(await on(p, name, (s) => s.nextId("customer", 151))).toBe(153);
    expect(await on(p, name, (s) => s.nextId("customer", 500))).toBe(501);
    expect(await on(p, name, (s) => s.dump())).toEqual({});
  });

  test("refuses a record past the cap, but replaces existing ones", async () => {
    const p = provider({ namespaces: 2, records: 2 });
    const name = fresh("cap");
    await on(p, name, async (s) => {
      await s.put("customer", "1", { id: 1 });
      await s.put("customer", "2", { id: 2 });
      await s.put("customer", "2", { id: 2, name: "again" });
    });
    await expect(on(p, name, (s) => s.put("customer", "3", { id: 3 }))).rejects.toBeInstanceOf(StoreFull);
    await on(p, name, async (s) => {
      await s.delete("customer", "1");
      await s.put("customer", "3", { id: 3 });
    });
    expect(Object.keys((await on(p, name, (s) => s.dump())).customer!)).toEqual(["2", "3"]);
    // And no more namespaces than the cap.
    await on(p, fresh("cap"), async () => undefined);
    await expect(on(p, fresh("cap"), async () => undefined)).rejects.toBeInstanceOf(StoreFull);
  });

  test("the turns of one namespace never interleave", async () => {
    const p = provider();
    const name = fresh("turns");
    // 20 read-then-write increments at once: each sees the one before it.
    await Promise.all(
      Array.from({ length: 20 }, () =>
        on(p, name, async (s) => {
          const count = Number((await s.get("counter", "1"))?.count ?? 0);
          await new Promise((resolve) => setTimeout(resolve, 1));
          await s.put("counter", "1", { count: count + 1 });
        }),
      ),
    );
    expect(await on(p, name, (s) => s.get("counter", "1"))).toEqual({ count: 20 });
  });
}

describe("the in-memory store", () => {
  storeContract((limits) => new MemoryStoreProvider(limits));

  test("forgets a namespace idle past idleSeconds when another is created", async () => {
    const p = new MemoryStoreProvider({ namespaces: 1, idleSeconds: 0.001 });
    await p.inTurn("first", async (s) => s.put("customer", "1", { id: 1 }));
    await new Promise((resolve) => setTimeout(resolve, 20));
    await p.inTurn("second", async () => undefined); // room: "first" was idle
    expect(await p.has("first")).toBe(false);
  });
});

describe.skipIf(!redisServerPath)(`the Redis store${redisServerPath ? "" : ` (${noRedisMessage})`}`, () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.dispose();
  });

  // Each provider with keys of its own: the namespace cap counts every namespace in the Redis.
  let made = 0;
  storeContract((limits) => new RedisStoreProvider({ url: `${redis.url}?prefix=suite-${(made += 1)}:`, ...(limits ? { limits } : {}) }));

  test("two providers (as two processes) share one world: each turn sees the other's writes", async () => {
    const a = new RedisStoreProvider({ url: redis.url });
    const b = new RedisStoreProvider({ url: redis.url });
    try {
      const name = `shared-${process.pid}`;
      await a.inTurn(name, (s) => s.put("customer", "1", { id: 1, reference: "one" }));
      expect(await b.inTurn(name, (s) => s.list("customer", { field: "reference", value: "one" }))).toEqual([{ id: 1, reference: "one" }]);
      await b.inTurn(name, async (s) => {
        await s.put("customer", "1", { id: 1, reference: "uno" });
        await s.put("customer", "2", { id: 2, reference: "one" });
      });
      // a's copy (and its index) catches up from the log of changed keys.
      expect(await a.inTurn(name, (s) => s.list("customer", { field: "reference", value: "one" }))).toEqual([{ id: 2, reference: "one" }]);
      expect(await a.inTurn(name, (s) => s.nextId("customer", 0))).toBe(1);
      expect(await b.inTurn(name, (s) => s.nextId("customer", 0))).toBe(2);
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          (i % 2 ? a : b).inTurn(name, async (s) => {
            const count = Number((await s.get("counter", "1"))?.count ?? 0);
            await s.put("counter", "1", { count: count + 1 });
          }),
        ),
      );
      expect(await a.inTurn(name, (s) => s.get("counter", "1"))).toEqual({ count: 20 });
      // A turn that fails keeps none of its writes, here or in Redis.
      await expect(
        a.inTurn(name, async (s) => {
          await s.put("customer", "3", { id: 3 });
          throw new Error("the rule failed");
        }),
      ).rejects.toThrow("the rule failed");
      expect(await a.inTurn(name, (s) => s.get("customer", "3"))).toBeUndefined();
      expect(await b.inTurn(name, (s) => s.get("customer", "3"))).toBeUndefined();
      // A clear by one is seen by the other.
      await b.inTurn(name, (s) => s.clear());
      expect(await a.inTurn(name, (s) => s.dump())).toEqual({});
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  test("three providers contending for one namespace: the lock passes between them with the changes, and no turn is lost", async () => {
    const providers = [0, 1, 2].map(() => new RedisStoreProvider({ url: redis.url }));
    try {
      const name = `contended-${process.pid}`;
      // Each turn reads the counter and appends a record: a holder's grant must carry both to the next.
      await Promise.all(
        Array.from({ length: 60 }, (_, i) =>
          providers[i % 3]!.inTurn(name, async (s) => {
            const count = Number((await s.get("counter", "1"))?.count ?? 0);
            await s.put("entry", String(count + 1), { id: count + 1, by: i % 3 });
            await s.put("counter", "1", { count: count + 1 });
          }),
        ),
      );
      for (const p of providers) {
        expect(await p.inTurn(name, (s) => s.get("counter", "1"))).toEqual({ count: 60 });
        expect((await p.inTurn(name, (s) => s.list("entry"))).map((r) => r.id)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
      }
      // A drop while the others wait for the lock: the lock passes to one of them, which finds the namespace new.
      let started!: () => void;
      const holding = new Promise<void>((resolve) => (started = resolve));
      const turn = providers[0]!.inTurn(name, async () => {
        started();
        await new Promise((resolve) => setTimeout(resolve, 300));
      });
      await holding;
      const dropped = providers[0]!.drop(name); // queued behind the turn: the lock is kept for it
      const created = await Promise.all([1, 2].map((i) => providers[i]!.inTurn(name, async (_, created) => created)));
      await Promise.all([turn, dropped]);
      expect(created.filter(Boolean)).toHaveLength(1);
      expect(await providers[0]!.inTurn(name, (s) => s.get("counter", "1"))).toBeUndefined();
    } finally {
      await Promise.all(providers.map((p) => p.close()));
    }
  });

  test("a namespace over its JSON budget gets the in-memory store's full-namespace refusal", async () => {
    const p = new RedisStoreProvider({ url: `${redis.url}?bytes=2000` });
    try {
      const name = `budget-${process.pid}`;
      await p.inTurn(name, (s) => s.put("note", "1", { text: "x".repeat(1500) }));
      const refusal = await p.inTurn(name, (s) => s.put("note", "2", { text: "x".repeat(1000) })).catch((error: unknown) => error);
      expect(refusal).toBeInstanceOf(StoreFull);
      expect((refusal as Error).message).toMatch(/namespace "budget-\d+" is full; POST \/__mock\/reset empties it/);
      await p.inTurn(name, (s) => s.put("note", "1", { text: "shorter" })); // shrinking is always allowed
      await p.inTurn(name, (s) => s.put("note", "2", { text: "x".repeat(1000) }));
    } finally {
      await p.close();
    }
  });

  test("an idle namespace expires (idle= in the URL) and is created afresh", async () => {
    const p = new RedisStoreProvider({ url: `${redis.url}?idle=1` });
    try {
      const name = `idle-${process.pid}`;
      await p.inTurn(name, (s) => s.put("customer", "1", { id: 1 }));
      expect(await p.has(name)).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(await p.has(name)).toBe(false);
      expect(await p.inTurn(name, async (s, created) => [created, await s.get("customer", "1")])).toEqual([true, undefined]);
    } finally {
      await p.close();
    }
  });
});

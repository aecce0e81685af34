import { MemoryStoreProvider, type Store } from "@billing-api/mock";
import { describe, expect, test } from "vitest";
import { discounted, usesAllowed } from "../../dist/stateful/rules/discounts.js";

// What a coupon takes off each charge, for the schemes no request can create (a coupon made through
// the API recurs or not; a duration comes with the site's own coupons) and the edges of the sums.
// The schemes through the API, over time, are contract-tests/stateful/time-coupons.test.ts.
const subscription = (codes: string[]) => ({ id: 7, coupon_code: codes[0] ?? null, coupon_codes: codes, coupon_use_count: 0 });

async function charges(store: Store, codes: string[], price: number, times: number): Promise<number[]> {
  const paid: number[] = [];
  for (let i = 0; i < times; i++) {
    const charge = await discounted(store, subscription(codes), price);
    paid.push(charge.price);
    await charge.use();
  }
  return paid;
}

const inStore = <T>(task: (store: Store) => Promise<T>) => new MemoryStoreProvider().inTurn("discounts", task);

describe("coupons at a charge", () => {
  test("recur_with_duration discounts duration_period_count charges, then none", async () => {
    const paid = await inStore(async (store) => {
      await store.put("coupon", "1", { id: 1, code: "HALF2", percentage: "50", recurring: true, recurring_scheme: "recur_with_duration", duration_period_count: 2 });
      return charges(store, ["HALF2"], 1000, 3);
    });
    expect(paid).toEqual([500, 500, 1000]);
    expect(usesAllowed({ recurring_scheme: "recur_with_duration", duration_period_count: 2 })).toBe(2);
  });

  test("a flat amount larger than the price leaves nothing to pay, never a negative charge", async () => {
    const paid = await inStore(async (store) => {
      await store.put("coupon", "1", { id: 1, code: "BIG", amount_in_cents: 1500, recurring: true, recurring_scheme: "recur_indefinitely" });
      return charges(store, ["BIG"], 1000, 1);
    });
    expect(paid).toEqual([0]);
  });

  test("compound takes its percentage off the price already discounted, full-price off the full price", async () => {
    const paid = await inStore(async (store) => {
      await store.put("coupon", "1", { id: 1, code: "TEN", amount_in_cents: 1000, recurring_scheme: "recur_indefinitely" });
      await store.put("coupon", "2", { id: 2, code: "COMPOUND", percentage: "50", recurring_scheme: "recur_indefinitely", compounding_strategy: "compound" });
      await store.put("coupon", "3", { id: 3, code: "FULL", percentage: "50", recurring_scheme: "recur_indefinitely", compounding_strategy: "full-price" });
      return [...(await charges(store, ["TEN", "COMPOUND"], 4000, 1)), ...(await charges(store, ["TEN", "FULL"], 4000, 1))];
    });
    // 4000 - 1000 = 3000, then 50% of 3000; against 50% of 4000.
    expect(paid).toEqual([1500, 1000]);
  });

  test("an archived coupon a subscription holds keeps discounting it; a charge of nothing uses no coupon", async () => {
    const paid = await inStore(async (store) => {
      await store.put("coupon", "1", { id: 1, code: "ONCE", percentage: "20", recurring: false, recurring_scheme: "do_not_recur", archived_at: "2026-01-01T00:00:00Z" });
      const free = await discounted(store, subscription(["ONCE"]), 0);
      expect(free.applied).toEqual([]);
      expect(await free.use()).toEqual({ coupon_use_count: 0, coupon_uses_allowed: 1 });
      return charges(store, ["ONCE"], 1000, 2);
    });
    expect(paid).toEqual([800, 1000]);
  });
});

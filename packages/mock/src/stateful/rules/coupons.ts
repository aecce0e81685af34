/**
 * Coupons: a code is unique on the site, a new coupon's discount type follows from the percentage
 * or amount it was given and its recurring scheme from `recurring`, an archived coupon cannot be
 * updated, and validation tells an unknown code from an expired or archived one. What a coupon
 * takes off a charge is discounts.ts.
 */
import type { Call, Reply } from "../call.js";
import { find } from "../crud.js";
import { coerce } from "../schema.js";
import type { StoredRecord } from "../store.js";

/** Fields the API derives from a coupon's discount and family. */
async function derived(call: Call, coupon: StoredRecord, familyId: unknown): Promise<StoredRecord> {
  const family = await call.store.get("product_family", String(familyId));
  const percent = coupon.percentage !== undefined && coupon.percentage !== null;
  const cents = percent ? null : Number(coupon.amount_in_cents ?? 0);
  return {
    discount_type: percent ? "percent" : "amount",
    percentage: percent ? String(coupon.percentage) : null,
    amount_in_cents: cents,
    amount: cents === null ? null : cents / 100,
    product_family_name: family?.name ?? null,
  };
}

/** The scheme a coupon's `recurring` says: every renewal, or the first charge only (a request cannot ask for a duration). */
function scheme(recurring: unknown): StoredRecord {
  const every = coerce({ type: "boolean" }, recurring) === true;
  return { recurring: every, recurring_scheme: every ? "recur_indefinitely" : "do_not_recur", duration_period_count: null, duration_interval: null };
}

export async function createCoupon(call: Call): Promise<Reply> {
  const sent = call.sent("coupon");
  const taken = await call.store.list("coupon", { field: "code", value: String(sent.code) });
  if (taken.length > 0) return call.example(422, "codeTaken");
  return call.plain!({ ...(await derived(call, sent, call.path.product_family_id)), ...scheme(sent.recurring) });
}

export async function updateCoupon(call: Call): Promise<Reply> {
  const coupon = await find(call, "coupon", call.path.coupon_id, { param: "product_family_id", field: "product_family_id", kind: "product_family" });
  if (!coupon) return call.notFound();
  if (coupon.archived_at != null) return call.example(422, "archived");
  const sent = call.sent("coupon");
  const discount = sent.percentage !== undefined || sent.amount_in_cents !== undefined ? await derived(call, { ...coupon, ...sent }, coupon.product_family_id) : {};
  return call.plain!({ ...discount, ...(sent.recurring !== undefined ? scheme(sent.recurring) : {}) });
}

export async function archiveCoupon(call: Call): Promise<Reply> {
  const coupon = await find(call, "coupon", call.path.coupon_id, { param: "product_family_id", field: "product_family_id", kind: "product_family" });
  if (!coupon) return call.notFound();
  const archived = { ...coupon, archived_at: coupon.archived_at ?? call.nowIso, updated_at: call.nowIso };
  await call.store.put("coupon", String(coupon.id), archived);
  return call.answer("coupon", archived);
}

export async function validateCoupon(call: Call): Promise<Reply> {
  const family = call.param("product_family_id");
  const coupons = await call.store.list("coupon");
  const coupon = coupons.find((c) => c.code === call.param("code") && (family === undefined || String(c.product_family_id) === family));
  if (!coupon) return call.example(404, "notFound");
  if (coupon.archived_at != null) return call.example(404, "invalid");
  if (typeof coupon.end_date === "string" && Date.parse(coupon.end_date) < call.now.getTime()) return call.example(404, "expired");
  return call.answer("coupon", coupon);
}

/**
 * The stateful mock's plain behaviour, as data: which resources there are, where their seeds come
 * from, and which operation creates, reads, updates, deletes, lists or looks up which resource. One
 * engine (crud.ts) reads this table; only the API's own rules (rules/) are code. Statuses, default
 * page sizes and response shapes are not repeated here: they come from the spec.
 */
import type { StoredRecord } from "./store.js";

export interface ResourceKind {
  /** The key a single resource is wrapped in (`{"customer": {...}}`); absent when sent bare. */
  wrapper?: string;
  /** The field that names it: `id` (integers) or `uid` (`grp_...`) */
  idField: string;
  /** Fresh ids: integers above the seeds, or a prefix and random characters in the examples' format. */
  newId: "integer" | { prefix: string; length: number };
  /** Operations whose documented success examples hold the seeds (the first record of an id wins). */
  seeds: string[];
  /** Fields that hold another stored resource, refreshed from the store on every answer. */
  embeds?: Record<string, string>;
  /** Another kind's field that lists ids of this kind: fresh ids stay above those too. */
  idsIn?: { kind: string; field: string };
  /** Seeds found inside other seeds: the products embedded in subscriptions, say. */
  seedsWithin?: { kind: string; field: string };
}

export const kinds: Record<string, ResourceKind> = {
  customer: { wrapper: "customer", idField: "id", newId: "integer", seeds: ["readCustomer", "listCustomers", "enableBillingPortalForCustomer"] },
  payment_profile: { wrapper: "payment_profile", idField: "id", newId: "integer", seeds: ["readPaymentProfile", "listPaymentProfiles"] },
  subscription: {
    wrapper: "subscription",
    idField: "id",
    newId: "integer",
    seeds: ["readSubscription", "listSubscriptions", "listCustomerSubscriptions"],
    embeds: { customer: "customer", credit_card: "payment_profile", bank_account: "payment_profile" },
    idsIn: { kind: "subscription_group", field: "subscription_ids" },
  },
  subscription_group: { idField: "uid", newId: { prefix: "grp_", length: 12 }, seeds: ["readSubscriptionGroup"] },
  coupon: { wrapper: "coupon", idField: "id", newId: "integer", seeds: ["readCoupon", "listCoupons", "listCouponsForProductFamily"] },
  portal_configuration: { wrapper: "portal_configuration", idField: "id", newId: { prefix: "bpc_", length: 12 }, seeds: ["readPortalConfiguration", "listPortalConfigurations"] },
  // Not resources of this API, but what subscriptions and coupons name: read-only, from the seeds.
  product: { idField: "id", newId: "integer", seeds: [], seedsWithin: { kind: "subscription", field: "product" } },
  product_family: { idField: "id", newId: "integer", seeds: [], seedsWithin: { kind: "product", field: "product_family" } },
  // Kept by the rules only: charges, adjustments and refunds (one id sequence, as on the API).
  transaction: { idField: "id", newId: "integer", seeds: [] },
  portal_session: { wrapper: "portal_session", idField: "id", newId: { prefix: "bps_", length: 16 }, seeds: [] },
};

/**
 * Keeps the records that match a query parameter's value (the whole query at hand). `field` names
 * the field a plain equality compares, so the store can answer it from an index.
 */
export type Filter = ((record: StoredRecord, value: string | string[], query: Record<string, string | string[]>) => boolean) & { field?: string };

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/** A field (dotted path) equal to the query value, compared as text. */
export const equals = (field: string): Filter =>
  Object.assign((record: StoredRecord, value: string | string[]) => String(fieldAt(record, field)) === String(value), { field });

/** Any of the fields contains the query text, ignoring case (the API's `q`). */
export const contains =
  (...fields: string[]): Filter =>
  (record, value) =>
    fields.some((field) => String(fieldAt(record, field) ?? "").toLowerCase().includes(String(value).toLowerCase()));

const paths = new Map<string, string[]>();

/** A field of a record by its dotted path (`customer.id`). */
/** The field is one of a comma-separated list (`filter[ids]=4521,4522`). */
export const oneOf =
  (field: string): Filter =>
  (record, value) =>
    String(first(value)).split(",").includes(String(fieldAt(record, field)));

const day = 24 * 60 * 60 * 1000;

/**
 * The date filters of a list: `start_date`, `end_date` (whole days, UTC), `start_datetime` and
 * `end_datetime`, on the field `date_field` names (`created_at` unless given). `name` spells a
 * parameter as the operation does (`filter[start_date]` for coupons).
 */
export function dateRange(name: (param: string) => string = (param) => param): Record<string, Filter> {
  const at = (record: StoredRecord, query: Record<string, string | string[]>) =>
    Date.parse(String(fieldAt(record, first(query[name("date_field")]) ?? "created_at")));
  const bound = (value: string | string[]) => Date.parse(String(first(value)));
  return {
    [name("start_date")]: (record, value, query) => at(record, query) >= bound(`${first(value)}T00:00:00Z`),
    [name("end_date")]: (record, value, query) => at(record, query) < bound(`${first(value)}T00:00:00Z`) + day,
    [name("start_datetime")]: (record, value, query) => at(record, query) >= bound(value),
    [name("end_datetime")]: (record, value, query) => at(record, query) <= bound(value),
  };
}

const couponFilters = { "filter[ids]": oneOf("id"), "filter[codes]": oneOf("code"), ...dateRange((param) => `filter[${param}]`) };

export function fieldAt(record: StoredRecord, path: string): unknown {
  let keys = paths.get(path);
  if (!keys) paths.set(path, (keys = path.split(".")));
  let node: unknown = record;
  for (const key of keys) node = (node as Record<string, unknown> | null | undefined)?.[key];
  return node;
}

/** A path parameter naming the resource the listed or created ones belong to. */
export interface Parent {
  param: string;
  /** The field of the child holding the parent's id. */
  field: string;
  /** The parent's kind: the operation's 404 when it does not exist. */
  kind?: string;
}

export type Plain =
  | { action: "create"; kind: string; parent?: Parent }
  | { action: "read" | "update" | "delete"; kind: string; id: string; parent?: Parent }
  | {
      action: "list";
      kind: string;
      filters?: Record<string, Filter>;
      parent?: Parent;
      collection?: string;
      /** `sort=` values and the date field each orders by (else the order of creation). */
      sort?: Record<string, string>;
    }
  | { action: "lookup"; kind: string; query: string; field: string; scope?: Record<string, string> };

const family: Parent = { param: "product_family_id", field: "product_family_id", kind: "product_family" };

/** Operation -> resource and action. An operation missing here and in rules/ is answered from its examples. */
export const operations: Record<string, Plain> = {
  createCustomer: { action: "create", kind: "customer" },
  listCustomers: {
    action: "list",
    kind: "customer",
    filters: { q: contains("first_name", "last_name", "email", "organization", "reference"), ...dateRange() },
  },
  readCustomer: { action: "read", kind: "customer", id: "id" },
  readCustomerByReference: { action: "lookup", kind: "customer", query: "reference", field: "reference" },
  updateCustomer: { action: "update", kind: "customer", id: "id" },
  deleteCustomer: { action: "delete", kind: "customer", id: "id" },

  createPaymentProfile: { action: "create", kind: "payment_profile" },
  listPaymentProfiles: { action: "list", kind: "payment_profile", filters: { customer_id: equals("customer_id") } },
  readPaymentProfile: { action: "read", kind: "payment_profile", id: "payment_profile_id" },
  updatePaymentProfile: { action: "update", kind: "payment_profile", id: "payment_profile_id" },
  deleteUnusedPaymentProfile: { action: "delete", kind: "payment_profile", id: "payment_profile_id" },

  createSubscription: { action: "create", kind: "subscription" },
  listSubscriptions: {
    action: "list",
    kind: "subscription",
    filters: { state: equals("state"), product_id: equals("product.id"), coupon_code: equals("coupon_code"), ...dateRange() },
    sort: {
      signup_date: "created_at",
      period_start: "current_period_started_at",
      period_end: "current_period_ends_at",
      next_assessment: "next_assessment_at",
      updated_at: "updated_at",
      created_at: "created_at",
    },
  },
  listCustomerSubscriptions: { action: "list", kind: "subscription", parent: { param: "customer_id", field: "customer.id", kind: "customer" } },
  findSubscription: { action: "lookup", kind: "subscription", query: "reference", field: "reference" },
  readSubscription: { action: "read", kind: "subscription", id: "subscription_id" },
  updateSubscription: { action: "update", kind: "subscription", id: "subscription_id" },

  createCoupon: { action: "create", kind: "coupon", parent: family },
  listCouponsForProductFamily: { action: "list", kind: "coupon", parent: family, filters: couponFilters },
  listCoupons: { action: "list", kind: "coupon", filters: couponFilters },
  readCoupon: { action: "read", kind: "coupon", id: "coupon_id", parent: family },
  updateCoupon: { action: "update", kind: "coupon", id: "coupon_id", parent: family },
  findCoupon: { action: "lookup", kind: "coupon", query: "code", field: "code", scope: { product_family_id: "product_family_id" } },

  listPortalConfigurations: {
    action: "list",
    kind: "portal_configuration",
    collection: "portal_configurations",
    filters: { active: equals("active"), is_default: equals("is_default") },
  },
  createPortalConfiguration: { action: "create", kind: "portal_configuration" },
  readPortalConfiguration: { action: "read", kind: "portal_configuration", id: "configuration_id" },
  updatePortalConfiguration: { action: "update", kind: "portal_configuration", id: "configuration_id" },
  createPortalSession: { action: "create", kind: "portal_session" },
  // Subscription groups have three views and membership rules: all in rules/groups.ts.
};

/**
 * A fresh namespace holds the example universe: every resource the spec's named success examples
 * show (customer 150 with her profiles, subscription 222, the group, the coupons, the portal
 * configurations, ...), read from the bundled document so the seeds can never drift from the examples.
 */
import { isObject } from "@billing-api/conformance";
import type { IHttpOperation } from "@stoplight/types";
import { kinds } from "./resources.js";
import type { StoredRecord } from "./store.js";

export type Seeds = Map<string, StoredRecord[]>;

/** The resources of `kind` inside one example body: wrapped, in a list, in a collection key, or bare. */
function recordsIn(body: unknown, wrapper: string | undefined, idField: string): StoredRecord[] {
  const collection = (value: unknown) => Array.isArray(value) && value.length > 0 && value.every(isObject);
  const items: unknown[] = Array.isArray(body) ? body : isObject(body) ? (Object.values(body).find(collection) as unknown[] | undefined) ?? [body] : [];
  return items
    .map((item) => (wrapper && isObject(item) && isObject(item[wrapper]) ? item[wrapper] : item))
    .filter((item): item is StoredRecord => isObject(item) && item[idField] !== undefined && item[idField] !== null);
}

/** Every kind's seeds, in the order the examples show them. */
export function seedsFrom(operations: IHttpOperation[]): Seeds {
  const byId = new Map(operations.map((operation) => [operation.iid, operation]));
  const seeds: Seeds = new Map();
  for (const [kind, declared] of Object.entries(kinds)) {
    const found = new Map<string, StoredRecord>();
    const add = (record: StoredRecord) => {
      const id = String(record[declared.idField]);
      if (!found.has(id)) found.set(id, structuredClone(record));
    };
    for (const operationId of declared.seeds) {
      const operation = byId.get(operationId);
      if (!operation) throw new Error(`The stateful mock seeds ${kind} from ${operationId}, which the spec does not have.`);
      for (const response of operation.responses.filter((r) => r.code.startsWith("2"))) {
        for (const example of response.contents?.flatMap((content) => content.examples ?? []) ?? []) {
          if ("value" in example) recordsIn(example.value, declared.wrapper, declared.idField).forEach(add);
        }
      }
    }
    if (declared.seedsWithin) {
      for (const holder of seeds.get(declared.seedsWithin.kind) ?? []) {
        const inner = holder[declared.seedsWithin.field];
        if (isObject(inner) && inner[declared.idField] !== undefined) add(inner);
      }
    }
    if (kind === "product") for (const product of extraProducts) add({ ...product, product_family: found.values().next().value?.product_family ?? null });
    seeds.set(kind, [...found.values()]);
  }
  return seeds;
}

/**
 * Products the examples name but no example shows whole, as data: the stables plan (3103, the
 * group signup's third subscription, $37 a month) comes with a 14-day free trial and needs no card,
 * so trials can be tried.
 */
export const extraProducts: StoredRecord[] = [
  {
    id: 3103,
    name: "Stables",
    handle: "estate-stables",
    description: "Care of the stables and the horses, monthly, after a 14-day free trial.",
    accounting_code: null,
    price_in_cents: 3700,
    interval: 1,
    interval_unit: "month",
    initial_charge_in_cents: null,
    trial_price_in_cents: 0,
    trial_interval: 14,
    trial_interval_unit: "day",
    require_credit_card: false,
    version_number: 1,
    product_price_point_id: 8123,
    product_price_point_handle: null,
    created_at: "2026-01-15T10:00:00-05:00",
    updated_at: "2026-02-20T14:31:09-05:00",
    archived_at: null,
  },
];

const dateTime = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)$/;

/** `text` (an ISO date-time) moved by `ms`, written in its own offset. */
function shifted(text: string, ms: number): string {
  const match = dateTime.exec(text)!;
  const offset = match[3]!;
  const offsetMs = offset === "Z" ? 0 : (offset[0] === "-" ? -1 : 1) * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6))) * 60_000;
  const local = new Date(Date.parse(text) + ms + offsetMs).toISOString().slice(0, 19);
  return `${local}${offset === "Z" ? "Z" : offset}`;
}

function shiftAll(value: unknown, ms: number): unknown {
  if (typeof value === "string") return dateTime.test(value) ? shifted(value, ms) : value;
  if (Array.isArray(value)) return value.map((item) => shiftAll(item, ms));
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, shiftAll(item, ms)]));
  return value;
}

/** When the examples were written: the latest creation or update any seed shows. */
export function seedsWrittenAt(seeds: Seeds): number {
  let latest = 0;
  for (const records of seeds.values()) {
    for (const record of records) {
      for (const field of ["created_at", "updated_at"]) {
        const at = typeof record[field] === "string" ? Date.parse(record[field] as string) : NaN;
        if (at > latest) latest = at;
      }
    }
  }
  return latest;
}

/**
 * The seeds as a namespace starting at `start` holds them: every date moved by the same whole
 * seconds, so the examples' moment is the namespace's start (subscription 222 is mid-period, its
 * renewal ahead), and the dates keep their order and offsets.
 */
export function placeSeeds(seeds: Seeds, start: Date): Seeds {
  const written = seedsWrittenAt(seeds);
  const ms = Math.round((start.getTime() - written) / 1000) * 1000;
  return new Map([...seeds].map(([kind, records]) => [kind, records.map((record) => shiftAll(record, ms) as StoredRecord)]));
}

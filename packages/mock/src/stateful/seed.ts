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
    seeds.set(kind, [...found.values()]);
  }
  return seeds;
}

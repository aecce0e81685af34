/**
 * Where the stateful mock keeps its resources: one store per namespace, behind a small interface
 * (get, put, list, delete, a counter for fresh ids, and the clock) so that the rules never know how
 * records are kept. The interface is asynchronous so that a store shared by several mock processes
 * (Redis, say) can stand in for the in-memory one without touching the rules.
 */

/** A resource as the store keeps it: a plain JSON object. */
export type StoredRecord = Record<string, unknown>;

/** A field (dotted path) and the value it must have, compared as text. */
export interface Match {
  field: string;
  value: string;
}

/** A record's field by its dotted path, as text (what `Match` compares). */
export function textAt(record: StoredRecord, path: string): string {
  let node: unknown = record;
  for (const key of path.split(".")) node = (node as Record<string, unknown> | null | undefined)?.[key];
  return String(node);
}

/** The namespace's time. Starts at real time and runs with it; a test can set or advance it. */
export class Clock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  /** Moves the clock to `date` (it keeps running from there). */
  set(date: Date): void {
    this.offsetMs = date.getTime() - Date.now();
  }

  advance(seconds: number): void {
    this.offsetMs += seconds * 1000;
  }

  /** Back to real time. */
  reset(): void {
    this.offsetMs = 0;
  }
}

/** One namespace's resources, by kind (`customer`, `subscription`, ...) and id. */
export interface Store {
  readonly clock: Clock;
  get(kind: string, id: string): Promise<StoredRecord | undefined>;
  /** Inserts or replaces; refuses with a `StoreFull` error past the namespace's cap. */
  put(kind: string, id: string, record: StoredRecord): Promise<void>;
  /**
   * Every record of a kind, in insertion order; with `match`, only those whose field (a dotted path,
   * `customer.id`) equals the value as text. A store may index the fields it is asked about.
   */
  list(kind: string, match?: Match): Promise<StoredRecord[]>;
  delete(kind: string, id: string): Promise<boolean>;
  /** A fresh integer id for `kind`: one above the highest given so far and above `floor`. */
  nextId(kind: string, floor: number): Promise<number>;
  /** Everything, by kind then id, for `GET /__mock/state`. */
  dump(): Promise<Record<string, Record<string, StoredRecord>>>;
  /** Empties the namespace and puts the clock back to real time. */
  clear(): Promise<void>;
}

/** Where the stores of all namespaces come from. */
export interface StoreProvider {
  /** The namespace's store, created on first use; a `StoreFull` error past the namespace cap. */
  namespace(name: string): Store;
  /** Whether the namespace has been used since it was last dropped. */
  has(name: string): boolean;
  drop(name: string): void;
}

/** A limit of the mock's memory was reached; the message says which and what to do. */
export class StoreFull extends Error {}

export interface StoreLimits {
  /** Namespaces held at once. */
  namespaces: number;
  /** Records held in one namespace (seeds included). */
  records: number;
}

export const defaultLimits: StoreLimits = { namespaces: 100, records: 50_000 };

class MemoryStore implements Store {
  readonly clock = new Clock();
  private readonly kinds = new Map<string, Map<string, StoredRecord>>();
  private readonly counters = new Map<string, number>();
  /** By kind, then field: value -> ids. Built on the first `list` that matches on the field. */
  private readonly indexes = new Map<string, Map<string, Map<string, Set<string>>>>();
  /** When each record was first put, to answer matches in insertion order. */
  private readonly order = new Map<string, number>();
  private sequence = 0;
  private size = 0;

  constructor(
    private readonly name: string,
    private readonly limit: number,
  ) {}

  private of(kind: string): Map<string, StoredRecord> {
    let records = this.kinds.get(kind);
    if (!records) this.kinds.set(kind, (records = new Map()));
    return records;
  }

  async get(kind: string, id: string) {
    return this.kinds.get(kind)?.get(id);
  }

  async put(kind: string, id: string, record: StoredRecord) {
    const records = this.of(kind);
    const previous = records.get(id);
    if (!previous) {
      if (this.size >= this.limit) {
        throw new StoreFull(
          `The mock holds at most ${this.limit} resources in a namespace, and namespace "${this.name}" is full; ` +
            "POST /__mock/reset empties it (or use another Mock-Namespace).",
        );
      }
      this.size += 1;
      this.order.set(`${kind} ${id}`, (this.sequence += 1));
    }
    records.set(id, record);
    this.reindex(kind, id, previous, record);
  }

  async list(kind: string, match?: Match) {
    const records = this.kinds.get(kind);
    if (!records) return [];
    if (!match) return [...records.values()];
    const ids = this.index(kind, match.field).get(match.value);
    if (!ids) return [];
    const position = (id: string) => this.order.get(`${kind} ${id}`)!;
    return [...ids].sort((a, b) => position(a) - position(b)).map((id) => records.get(id)!);
  }

  async delete(kind: string, id: string) {
    const records = this.kinds.get(kind);
    const previous = records?.get(id);
    if (!records || !previous) return false;
    records.delete(id);
    this.reindex(kind, id, previous, undefined);
    this.order.delete(`${kind} ${id}`);
    this.size -= 1;
    return true;
  }

  /** The kind's index on a field, built from its records the first time it is asked for. */
  private index(kind: string, field: string): Map<string, Set<string>> {
    let byField = this.indexes.get(kind);
    if (!byField) this.indexes.set(kind, (byField = new Map()));
    let index = byField.get(field);
    if (!index) {
      byField.set(field, (index = new Map()));
      for (const [id, record] of this.kinds.get(kind) ?? []) add(index, textAt(record, field), id);
    }
    return index;
  }

  /** Keeps the kind's indexes in step with a record that changed (or went, or came). */
  private reindex(kind: string, id: string, previous: StoredRecord | undefined, next: StoredRecord | undefined) {
    for (const [field, index] of this.indexes.get(kind) ?? []) {
      const before = previous === undefined ? undefined : textAt(previous, field);
      const after = next === undefined ? undefined : textAt(next, field);
      if (before === after) continue;
      if (before !== undefined) index.get(before)?.delete(id);
      if (after !== undefined) add(index, after, id);
    }
  }

  async nextId(kind: string, floor: number) {
    const next = Math.max(this.counters.get(kind) ?? 0, floor) + 1;
    this.counters.set(kind, next);
    return next;
  }

  async dump() {
    const state: Record<string, Record<string, StoredRecord>> = {};
    for (const [kind, records] of this.kinds) if (records.size > 0) state[kind] = Object.fromEntries(records);
    return state;
  }

  async clear() {
    this.kinds.clear();
    this.counters.clear();
    this.indexes.clear();
    this.order.clear();
    this.size = 0;
    this.clock.reset();
  }
}

function add(index: Map<string, Set<string>>, value: string, id: string) {
  let ids = index.get(value);
  if (!ids) index.set(value, (ids = new Set()));
  ids.add(id);
}

/** The embedded default: every namespace in this process's memory, within `limits`. */
export class MemoryStoreProvider implements StoreProvider {
  private readonly stores = new Map<string, MemoryStore>();

  constructor(private readonly limits: StoreLimits = defaultLimits) {}

  namespace(name: string): Store {
    let store = this.stores.get(name);
    if (!store) {
      if (this.stores.size >= this.limits.namespaces) {
        throw new StoreFull(
          `The mock holds at most ${this.limits.namespaces} namespaces; POST /__mock/reset with a Mock-Namespace header ` +
            "frees one, or restart the mock.",
        );
      }
      this.stores.set(name, (store = new MemoryStore(name, this.limits.records)));
    }
    return store;
  }

  has(name: string) {
    return this.stores.has(name);
  }

  drop(name: string) {
    this.stores.delete(name);
  }
}

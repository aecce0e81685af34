/**
 * Where the stateful mock keeps its resources: one store per namespace, behind a small interface
 * (get, put, list, delete, a counter for fresh ids, and the clock) so that the rules never know how
 * records are kept. The interface is asynchronous so that a store shared by several mock processes
 * (Redis, say) can stand in for the in-memory one without touching the rules.
 */

/** A resource as the store keeps it: a plain JSON object. */
export type StoredRecord = Record<string, unknown>;

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
  /** Every record of a kind, in insertion order. */
  list(kind: string): Promise<StoredRecord[]>;
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
    if (!records.has(id)) {
      if (this.size >= this.limit) {
        throw new StoreFull(
          `The mock holds at most ${this.limit} resources in a namespace, and namespace "${this.name}" is full; ` +
            "POST /__mock/reset empties it (or use another Mock-Namespace).",
        );
      }
      this.size += 1;
    }
    records.set(id, record);
  }

  async list(kind: string) {
    return [...(this.kinds.get(kind)?.values() ?? [])];
  }

  async delete(kind: string, id: string) {
    const deleted = this.kinds.get(kind)?.delete(id) ?? false;
    if (deleted) this.size -= 1;
    return deleted;
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
    this.size = 0;
    this.clock.reset();
  }
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

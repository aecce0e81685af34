/**
 * Where the stateful mock keeps its resources: one store per namespace, behind a small interface
 * (get, put, list, delete, a counter for fresh ids, and the clock) so that the rules never know how
 * records are kept. Everything is asynchronous, the provider and the clock too, so that a store
 * shared by several mock processes (redis-store.ts) stands in for this in-memory one, the default
 * and the fast path, without touching the rules.
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
export interface Clock {
  now(): Promise<Date>;
  /** Moves the clock to `date` (it keeps running from there). */
  set(date: Date): Promise<void>;
  advance(seconds: number): Promise<void>;
  /** Back to real time. */
  reset(): Promise<void>;
}

/** A clock as an offset from this machine's time: the in-memory store's, and a Redis turn's copy. */
export class OffsetClock implements Clock {
  constructor(public offsetMs = 0) {}

  async now() {
    return new Date(Date.now() + this.offsetMs);
  }

  async set(date: Date) {
    this.offsetMs = date.getTime() - Date.now();
  }

  async advance(seconds: number) {
    this.offsetMs += seconds * 1000;
  }

  async reset() {
    this.offsetMs = 0;
  }
}

/** One namespace's resources, by kind (`customer`, `subscription`, ...) and id. */
export interface Store {
  readonly clock: Clock;
  get(kind: string, id: string): Promise<StoredRecord | undefined>;
  /** Inserts or replaces; refuses with a `StoreFull` error past the namespace's budget. */
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
  /** What the store is, for messages: `memory`, or its `redis://` URL. */
  readonly description: string;
  /**
   * Runs `task` with the namespace's store once every earlier turn of the namespace has settled: in
   * this process, and for a shared store in every process that shares it, so a rule's read-then-write
   * is never interleaved. `created` is true when the namespace was empty (first use, dropped or
   * expired) so that the caller seeds it in the same turn. A `StoreFull` error past the namespace cap;
   * a `StoreUnavailable` error when a shared store cannot be reached.
   */
  inTurn<T>(name: string, task: (store: Store, created: boolean) => Promise<T>): Promise<T>;
  /** Whether the namespace holds anything (it was used, and not dropped or expired since). */
  has(name: string): Promise<boolean>;
  /** Forgets the namespace, in its turn: its next turn is `created`. */
  drop(name: string): Promise<void>;
  /** Lets go of connections and timers. */
  close(): Promise<void>;
}

/** A limit of the mock's memory was reached; the message says which and what to do. */
export class StoreFull extends Error {}

/** A shared store cannot be reached (or is too busy); the message names it. Answered with a 503. */
export class StoreUnavailable extends Error {}

export interface StoreLimits {
  /** Namespaces held at once. */
  namespaces: number;
  /** Records held in one namespace (seeds included). */
  records: number;
  /** JSON characters held in one namespace: the Redis store's memory budget (the in-memory store counts records only). */
  bytes: number;
  /** A namespace nobody used for this long is forgotten (and seeded afresh on its next use). */
  idleSeconds: number;
}

export const defaultLimits: StoreLimits = { namespaces: 100, records: 50_000, bytes: 64 * 1024 * 1024, idleSeconds: 24 * 60 * 60 };

/** The 409's message for a namespace at its budget. */
export function namespaceFull(name: string, limit: number, unit = "resources"): StoreFull {
  return new StoreFull(
    `The mock holds at most ${limit} ${unit} in a namespace, and namespace "${name}" is full; ` +
      "POST /__mock/reset empties it (or use another Mock-Namespace).",
  );
}

/** The 409's message when no namespace can be added. */
export function tooManyNamespaces(limit: number): StoreFull {
  return new StoreFull(
    `The mock holds at most ${limit} namespaces; POST /__mock/reset with a Mock-Namespace header frees one, or restart the mock.`,
  );
}

/**
 * One namespace's records, indexed: what the in-memory store holds, and the Redis store's local copy.
 * No limits here: the stores check their own.
 */
export class RecordTable {
  private readonly kinds = new Map<string, Map<string, StoredRecord>>();
  /** By kind, then field: value -> ids. Built on the first `list` that matches on the field. */
  private readonly indexes = new Map<string, Map<string, Map<string, Set<string>>>>();
  /** When each record was first put, to answer in insertion order. */
  private readonly order = new Map<string, number>();
  /** The highest insertion position given. */
  sequence = 0;
  size = 0;

  get(kind: string, id: string): StoredRecord | undefined {
    return this.kinds.get(kind)?.get(id);
  }

  /** The record's insertion position, if it is held. */
  position(kind: string, id: string): number | undefined {
    return this.order.get(`${kind} ${id}`);
  }

  /** Inserts (at `position`, else last) or replaces; the previous record, if any. */
  set(kind: string, id: string, record: StoredRecord, position?: number): StoredRecord | undefined {
    let records = this.kinds.get(kind);
    if (!records) this.kinds.set(kind, (records = new Map()));
    const previous = records.get(id);
    if (!previous) {
      this.size += 1;
      const at = position ?? this.sequence + 1;
      this.sequence = Math.max(this.sequence, at);
      this.order.set(`${kind} ${id}`, at);
      // A copy's record can arrive out of insertion order: keep the kind's map in order.
      if (position !== undefined && records.size > 0 && at < this.order.get(`${kind} ${[...records.keys()].at(-1)}`)!) {
        records.set(id, record);
        const sorted = [...records].sort(([a], [b]) => this.order.get(`${kind} ${a}`)! - this.order.get(`${kind} ${b}`)!);
        records.clear();
        for (const [key, value] of sorted) records.set(key, value);
        this.reindex(kind, id, previous, record);
        return previous;
      }
    }
    records.set(id, record);
    this.reindex(kind, id, previous, record);
    return previous;
  }

  /** Removes the record; the removed one, if it was held. */
  remove(kind: string, id: string): StoredRecord | undefined {
    const records = this.kinds.get(kind);
    const previous = records?.get(id);
    if (!records || !previous) return undefined;
    records.delete(id);
    this.reindex(kind, id, previous, undefined);
    this.order.delete(`${kind} ${id}`);
    this.size -= 1;
    return previous;
  }

  list(kind: string, match?: Match): StoredRecord[] {
    const records = this.kinds.get(kind);
    if (!records) return [];
    if (!match) return [...records.values()];
    const ids = this.index(kind, match.field).get(match.value);
    if (!ids) return [];
    const position = (id: string) => this.order.get(`${kind} ${id}`)!;
    return [...ids].sort((a, b) => position(a) - position(b)).map((id) => records.get(id)!);
  }

  dump(): Record<string, Record<string, StoredRecord>> {
    const state: Record<string, Record<string, StoredRecord>> = {};
    for (const [kind, records] of this.kinds) if (records.size > 0) state[kind] = Object.fromEntries(records);
    return state;
  }

  clear() {
    this.kinds.clear();
    this.indexes.clear();
    this.order.clear();
    this.size = 0;
    this.sequence = 0;
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
}

function add(index: Map<string, Set<string>>, value: string, id: string) {
  let ids = index.get(value);
  if (!ids) index.set(value, (ids = new Set()));
  ids.add(id);
}

class MemoryStore implements Store {
  readonly clock = new OffsetClock();
  private readonly table = new RecordTable();
  private readonly counters = new Map<string, number>();
  /** When a turn last used the namespace (ms), for idle expiry. */
  usedAt = Date.now();

  constructor(
    private readonly name: string,
    private readonly limit: number,
  ) {}

  async get(kind: string, id: string) {
    return this.table.get(kind, id);
  }

  async put(kind: string, id: string, record: StoredRecord) {
    if (this.table.size >= this.limit && !this.table.get(kind, id)) throw namespaceFull(this.name, this.limit);
    this.table.set(kind, id, record);
  }

  async list(kind: string, match?: Match) {
    return this.table.list(kind, match);
  }

  async delete(kind: string, id: string) {
    return this.table.remove(kind, id) !== undefined;
  }

  async nextId(kind: string, floor: number) {
    const next = Math.max(this.counters.get(kind) ?? 0, floor) + 1;
    this.counters.set(kind, next);
    return next;
  }

  async dump() {
    return this.table.dump();
  }

  async clear() {
    this.table.clear();
    this.counters.clear();
    await this.clock.reset();
  }
}

/**
 * The embedded default: every namespace in this process's memory, within `limits`. A namespace's
 * turns run one after another on a promise chain; a namespace idle past `idleSeconds` is forgotten
 * when another is created.
 */
export class MemoryStoreProvider implements StoreProvider {
  readonly description = "memory";
  private readonly stores = new Map<string, MemoryStore>();
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly limits: StoreLimits;

  constructor(limits: Partial<StoreLimits> = {}) {
    this.limits = { ...defaultLimits, ...limits };
  }

  inTurn<T>(name: string, task: (store: Store, created: boolean) => Promise<T>): Promise<T> {
    return this.queued(name, async () => {
      let store = this.stores.get(name);
      const created = !store;
      if (!store) {
        this.forgetIdle();
        if (this.stores.size >= this.limits.namespaces) throw tooManyNamespaces(this.limits.namespaces);
        this.stores.set(name, (store = new MemoryStore(name, this.limits.records)));
      }
      store.usedAt = Date.now();
      return task(store, created);
    });
  }

  async has(name: string) {
    return this.stores.has(name);
  }

  drop(name: string): Promise<void> {
    return this.queued(name, async () => void this.stores.delete(name));
  }

  async close() {}

  /** Runs `task` after every earlier task of the namespace has settled. */
  private queued<T>(name: string, task: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(name) ?? Promise.resolve();
    const run = previous.then(task, task);
    const settled = run.catch(() => undefined);
    this.queues.set(name, settled);
    void settled.then(() => {
      if (this.queues.get(name) === settled) this.queues.delete(name);
    });
    return run;
  }

  private forgetIdle() {
    const before = Date.now() - this.limits.idleSeconds * 1000;
    for (const [name, store] of this.stores) if (store.usedAt < before && !this.queues.has(name)) this.stores.delete(name);
  }
}

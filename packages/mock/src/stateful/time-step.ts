/**
 * The time step: when a namespace's clock moves, everything that falls due up to the new time
 * happens, in time order, by the named time rules (rules/time.ts). Each rule says when it is due for
 * a record and what it does then; this module only orders them. A rule writes its change as of the
 * moment it was due (never the clock's now), so advancing in one jump or in many steps gives the
 * same world.
 */
import { iso, type Universe } from "./call.js";
import type { Store, StoredRecord } from "./store.js";

/**
 * One thing the time step did to one record: what the clock's answer lists, and what a webhook
 * sender needs. `events` are the Advanced Billing webhook events the API emits for the change.
 */
export interface TimeChange {
  /** When it happened (the moment it fell due), ISO 8601. */
  at: string;
  /** The time rule that made it: `renewal`, `dunning`, `trial-end`, ... */
  rule: string;
  kind: "subscription" | "portal_session" | "management_link";
  id: string;
  /** The record's state before and after, where it has one. */
  from?: string;
  to?: string;
  /** `renewal_success`, `renewal_failure`, `payment_success`, `payment_failure`, `subscription_state_change`, `dunning_step_reached`, ... */
  events: string[];
  /**
   * By event, what its payload holds beside the record: the payment's transaction (`payment_success`,
   * `payment_failure`), the dunner and its step (`dunning_step_reached`). Built only when an endpoint
   * listens (in the same turn, so from the same store); the clock's answer leaves it out.
   */
  payloads?: () => Promise<Record<string, TimePayload>>;
}

/** Values an event's payload holds that no stored record does, merged into its context. */
export type TimePayload = Record<string, unknown>;

/** The moment a time rule runs in: the store, the seeds and schemas, and the moment it fell due. */
export interface Tick {
  readonly store: Store;
  readonly universe: Universe;
  readonly at: Date;
  /** `at` as the API writes it. */
  readonly atIso: string;
}

/** A named rule of time, for one kind of record. */
export interface TimeRule {
  name: string;
  /** The store kind it watches. */
  kind: string;
  /** When it falls due for this record (epoch milliseconds), or undefined when it does not. */
  due(record: StoredRecord): number | undefined;
  /** Does what falls due, writing the record as the API would show it; says what it did. */
  apply(tick: Tick, record: StoredRecord): Promise<TimeChange[]>;
  /**
   * A notice: it changes no record, so it cannot move its own moment on. It falls due only when a
   * move of the clock passes its moment (after the clock's time before the move), and is listed
   * among the answer's `notices`, not its `changes`.
   */
  notice?: true;
}

/** The clock's answer: the new time and what happened on the way there. */
export interface ClockSummary {
  namespace: string;
  now: string;
  changes: TimeChange[];
  /** What the API told ahead of time on the way (`upcoming_renewal_notice`, `trial_end_notice`, `expiring_card`): changes to nothing. */
  notices: TimeChange[];
}

interface Due {
  at: number;
  /** The rule's place in the list: at the same moment, earlier rules go first (cancellation before renewal). */
  order: number;
  kind: string;
  id: string;
}

/** Ids in order: integers as numbers, before any text id. */
function byId(a: string, b: string): number {
  const [x, y] = [Number(a), Number(b)];
  const [numericA, numericB] = [a !== "" && Number.isInteger(x), b !== "" && Number.isInteger(y)];
  if (numericA && numericB) return x - y;
  if (numericA !== numericB) return numericA ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Earlier first; at the same moment by rule order, then by kind and id (numbers as numbers), so
 * the order never depends on how the clock got there.
 */
const before = (a: Due, b: Due) => a.at - b.at || a.order - b.order || byId(a.kind, b.kind) || byId(a.id, b.id);

/** A binary min-heap: thousands of renewals in one month stay O(n log n). */
class Queue {
  private readonly items: Due[] = [];

  get size() {
    return this.items.length;
  }

  push(item: Due) {
    const items = this.items;
    items.push(item);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (before(items[parent]!, items[i]!) <= 0) break;
      [items[parent], items[i]] = [items[i]!, items[parent]!];
      i = parent;
    }
  }

  pop(): Due | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const [l, r] = [2 * i + 1, 2 * i + 2];
        let smallest = i;
        if (l < items.length && before(items[l]!, items[smallest]!) < 0) smallest = l;
        if (r < items.length && before(items[r]!, items[smallest]!) < 0) smallest = r;
        if (smallest === i) break;
        [items[smallest], items[i]] = [items[i]!, items[smallest]!];
        i = smallest;
      }
    }
    return top;
  }
}

/** Records of one kind by id, as the store keys them. */
function idOf(record: StoredRecord): string {
  return String(record.id ?? record.uid);
}

/**
 * Runs every rule that falls due up to `until` (inclusive), earliest first, and returns what
 * happened. A record a rule changed is asked again, so one record may renew many times in one jump.
 * A notice rule runs only for moments after `from` (the clock before the move).
 */
export async function runTimeStep(store: Store, universe: Universe, rules: readonly TimeRule[], until: Date, from?: Date): Promise<TimeChange[]> {
  const limit = until.getTime();
  const since = from?.getTime() ?? -Infinity;
  const queue = new Queue();
  const kinds = [...new Set(rules.map((rule) => rule.kind))];
  /** Queues what falls due for the record; after a rule ran, nothing earlier than that moment. */
  const schedule = (kind: string, record: StoredRecord, after = -Infinity) => {
    rules.forEach((rule, order) => {
      if (rule.kind !== kind) return;
      const at = rule.due(record);
      if (at === undefined || at > limit || (rule.notice && at <= since)) return;
      if (at > after || (at === after && order > (ran ?? -1))) queue.push({ at, order, kind, id: idOf(record) });
    });
  };
  let ran: number | undefined;
  for (const kind of kinds) for (const record of await store.list(kind)) schedule(kind, record);

  const changes: TimeChange[] = [];
  for (let next = queue.pop(); next; next = queue.pop()) {
    const rule = rules[next.order]!;
    const record = await store.get(next.kind, next.id);
    // The record may have changed since it was queued (an earlier rule ran on it): ask again.
    if (!record || rule.due(record) !== next.at) continue;
    const at = new Date(next.at);
    changes.push(...(await rule.apply({ store, universe, at, atIso: iso(at) }, record)));
    // A notice changed nothing: what else falls due for the record is queued already.
    if (rule.notice) continue;
    const after = await store.get(next.kind, next.id);
    // A rule always moves its own moment on; only later rules may still fall due at this one.
    ran = next.order;
    if (after) schedule(next.kind, after, next.at);
    ran = undefined;
  }
  return changes;
}

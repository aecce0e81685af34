/**
 * The stateful mock's store on Redis, so that several mock processes (behind a load balancer, or
 * one replacing another) serve one world: `--store redis://HOST:PORT[/DB]`.
 *
 * How a namespace's writes are made atomic across processes: a lock per namespace with a fencing
 * token, and one Lua script that commits a turn's writes. A turn takes the lock (a script: SET with
 * a fresh token from a global counter, and an expiry so a killed process cannot hold it for ever),
 * runs the rule, then commits every write of the turn in one script that first checks that the lock
 * still holds its token. A process that stalled past its lock's expiry is refused at commit (its
 * client gets a 503, never a success), so nothing a client was told is lost or half-written. Why
 * not the others: WATCH/MULTI transactions are optimistic, and 50 creates at once on one namespace
 * would retry each other many times over; Lua scripts alone cannot run the rules, which are
 * TypeScript. The lock keeps the rules as they are, serialises a namespace's requests as the
 * in-memory store does, and costs two round trips a turn (one while a process keeps it, or is
 * granted it, below).
 *
 * Fast path: each process keeps a copy of the namespaces it serves (records and indexes, as the
 * in-memory store holds them). Taking the lock also answers what changed since the copy's version
 * (a log of changed keys), so a turn reads from memory and Redis sends only the records other
 * processes wrote. A process keeps the lock for the turns it has queued (up to `maxStreak` in a
 * row: one round trip a turn, the commit). Fairness: a process that finds the lock taken queues
 * itself in Redis (with its copy's version), and the holder's last commit grants the lock to the
 * first queued process: a fresh token, published on that process's own channel together with what
 * changed since its copy, so that it runs its turn at once. A contended turn thus costs the failed
 * acquire, the grant and the commit; before, the woken process took the lock with one more round
 * trip, and every process heard every handover. Busy processes take turns and none starves. A
 * process that died while queued holds a grant until it expires (`lockMs`); one that gave up
 * waiting hands it on at once.
 *
 * Expiry and budget: every commit renews the namespace's keys' expiry (`idle`); a namespace over
 * its records or JSON budget is refused with the in-memory store's 409. When Redis cannot be
 * reached, turns fail at once with `StoreUnavailable` (a 503 that names the store) and the client
 * reconnects by itself.
 *
 * Library: ioredis, pinned: scripts by EVALSHA with a fallback to EVAL when Redis restarted and
 * forgot them (`defineCommand`), reconnection for ever with a back-off of our choosing, a switch to
 * fail commands at once while disconnected (`enableOfflineQueue: false`) instead of queueing them
 * into a hang, pub/sub that resubscribes after a reconnect, its own TypeScript types, pure JS, five
 * small dependencies. node-redis (@redis/client) would do too, but its script API changed shape
 * between its last majors (v4 `transformArguments`, v5 `parseCommand`); ioredis's has not in years.
 *
 * Durability is Redis's: with `--appendonly yes` a restarted Redis has every committed turn (a
 * crash of Redis itself may lose its last second unless `--appendfsync always`).
 */
import { randomBytes } from "node:crypto";
import { createRequire } from "node:module";
import type { Redis } from "ioredis";
import {
  defaultLimits,
  namespaceFull,
  OffsetClock,
  RecordTable,
  StoreUnavailable,
  tooManyNamespaces,
  type Match,
  type Store,
  type StoredRecord,
  type StoreLimits,
  type StoreProvider,
} from "./store.js";

/** How long a turn may hold a namespace's lock before another process may take it. */
const lockMs = 5_000;
/**
 * Turns a process runs in a row while it holds a namespace's lock and has more queued, before it
 * hands the lock to a waiting process: few handovers (each costs round trips and a wake-up), and
 * none waits long.
 */
const maxStreak = 16;
/** How long a turn waits for its namespace (then a 503 that says it is busy). */
const waitMs = 20_000;
/** Changed keys remembered per namespace, for the copies of other processes to catch up. */
const logLength = 2_000;

export interface RedisStoreOptions {
  /** `redis://HOST:PORT[/DB]`, with optional `?idle=SECONDS&records=N&bytes=N&namespaces=N&prefix=TEXT`. */
  url: string;
  /** Overrides the URL's (and the defaults') limits. */
  limits?: Partial<StoreLimits>;
}

interface Parsed {
  host: string;
  port: number;
  db: number;
  prefix: string;
  limits: Partial<StoreLimits>;
  /** The URL as the messages name it: without its query. */
  name: string;
}

const urlLimits: Record<string, keyof StoreLimits> = { idle: "idleSeconds", records: "records", bytes: "bytes", namespaces: "namespaces" };

/** Reads a `redis://` store URL; an Error that says what is wrong. */
export function parseRedisUrl(text: string): Parsed {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`--store takes redis://HOST:PORT[/DB]; got ${JSON.stringify(text)}.`);
  }
  if (url.protocol !== "redis:") throw new Error(`--store takes redis://HOST:PORT[/DB] (or memory); got ${JSON.stringify(text)}.`);
  if (url.username || url.password) throw new Error("The Redis store URL takes no credentials: the mock's Redis is a local one.");
  const db = url.pathname === "" || url.pathname === "/" ? 0 : Number(url.pathname.slice(1));
  if (!Number.isInteger(db) || db < 0) throw new Error(`The Redis database in ${text} must be a whole number, as in redis://127.0.0.1:6379/0.`);
  const limits: Partial<StoreLimits> = {};
  let prefix = "billing-mock:";
  for (const [key, value] of url.searchParams) {
    if (key === "prefix") {
      prefix = value;
      continue;
    }
    const limit = urlLimits[key];
    const number = Number(value);
    if (!limit) throw new Error(`The Redis store URL takes idle, records, bytes, namespaces and prefix; got ${key}.`);
    if (!Number.isFinite(number) || number <= 0) throw new Error(`${key} in the Redis store URL must be a positive number; got ${JSON.stringify(value)}.`);
    limits[limit] = number;
  }
  const host = url.hostname.replace(/^\[|\]$/g, "") || "127.0.0.1";
  const port = url.port === "" ? 6379 : Number(url.port);
  return { host, port, db, prefix, limits, name: `redis://${url.host || host}/${db}` };
}

/**
 * What changed in a namespace since a copy's `life` and `version`, as Lua: sets `state` ('same',
 * 'changes', 'all' or 'new' when the namespace is empty), `meta`, `fields`, `values`. KEYS[meta],
 * KEYS[log], KEYS[records].
 */
const update = (meta: number, log: number, records: number, all: boolean) => `
local meta = redis.call('HGETALL', KEYS[${meta}])
local state, fields, values = 'new', nil, nil
if #meta > 0 then
  local life, version = '', 0
  for i = 1, #meta, 2 do
    if meta[i] == 'life' then life = meta[i + 1] elseif meta[i] == 'version' then version = tonumber(meta[i + 1]) end
  end
  state = 'all'
  if life == knownLife then
    local known = tonumber(knownVersion)
    local behind = version - known
    if known == version then state = 'same'
    elseif known < version and behind <= redis.call('LLEN', KEYS[${log}]) then
      state = 'changes'
      fields = redis.call('LRANGE', KEYS[${log}], 0, behind - 1)
      values = redis.call('HMGET', KEYS[${records}], unpack(fields))
    end
  end
  ${all ? `if state == 'all' then fields = redis.call('HGETALL', KEYS[${records}]) end` : ""}
end`;

/** Takes `process` out of the namespace's queue (its entries are "process life version"). */
const unqueue = (waiting: number) => `
for _, entry in ipairs(redis.call('LRANGE', KEYS[${waiting}], 0, -1)) do
  if string.sub(entry, 1, #process + 1) == process .. ' ' then redis.call('LREM', KEYS[${waiting}], 0, entry) end
end`;

/**
 * Lets go of the lock, granting it to the first queued process, if any: a fresh token of its own
 * (\`N:process\`), published on its channel with what changed since its copy, so that it runs its
 * turn at once, without a round trip to take the lock. A namespace that is empty, or a copy too far
 * behind, is granted without the changes: the grantee takes them with the acquire script, which
 * knows the lock is its own. KEYS[1] lock; ARGV[argName] the namespace's name.
 */
const handoff = (waiting: number, meta: number, log: number, records: number, fence: number, argName: number, argPrefix: number) => `
redis.call('DEL', KEYS[1])
local queued = redis.call('LPOP', KEYS[${waiting}])
if queued then
  local process, knownLife, knownVersion = string.match(queued, '^(%S+) (%S*) (%d+)$')
  if not process then process, knownLife, knownVersion = queued, '', '0' end
  local token = redis.call('INCR', KEYS[${fence}]) .. ':' .. process
  redis.call('SET', KEYS[1], token, 'PX', ${lockMs})
  ${update(meta, log, records, false)}
  local grant = {n = ARGV[${argName}], t = token}
  if state == 'same' or state == 'changes' then
    grant.l, grant.v, grant.s, grant.m = knownLife, knownVersion, state, meta
    if fields then grant.f = fields; grant.x = {} for i = 1, #fields do grant.x[i] = values[i] or false end end
  end
  redis.call('PUBLISH', ARGV[${argPrefix}] .. 'grant:' .. process, cjson.encode(grant))
end`;

// KEYS: lock, meta, log, waiting, registry, fence, records.
// ARGV: process, knownLife, knownVersion, now (ms), idle (ms), namespace cap, name.
// -> {0, pttl} taken (this process is queued); {-1} no room for a new namespace;
//    {1, token, state, meta, fields?, values?}. A lock granted to this process is its own.
const acquireScript = `
local process, knownLife, knownVersion = ARGV[1], ARGV[2], ARGV[3]
local holder = redis.call('GET', KEYS[1])
local mine = holder and string.sub(holder, -(#process + 1)) == (':' .. process)
if holder and not mine then
  -- Queued once, keeping its place when it asks again.
  local entry, queued = process .. ' ' .. knownLife .. ' ' .. knownVersion, false
  for i, other in ipairs(redis.call('LRANGE', KEYS[4], 0, -1)) do
    if string.sub(other, 1, #process + 1) == process .. ' ' then
      if not queued then redis.call('LSET', KEYS[4], i - 1, entry) else redis.call('LREM', KEYS[4], -1, other) end
      queued = true
    end
  end
  if not queued then redis.call('RPUSH', KEYS[4], entry) end
  redis.call('PEXPIRE', KEYS[4], 60000)
  return {0, redis.call('PTTL', KEYS[1])}
end
${unqueue(4)}
local token = holder
if mine then redis.call('PEXPIRE', KEYS[1], ${lockMs}) else
  token = tostring(redis.call('INCR', KEYS[6]))
  redis.call('SET', KEYS[1], token, 'PX', ${lockMs})
end
${update(2, 3, 7, true)}
if state == 'new' then
  redis.call('ZREMRANGEBYSCORE', KEYS[5], '-inf', '(' .. (tonumber(ARGV[4]) - tonumber(ARGV[5])))
  if not redis.call('ZSCORE', KEYS[5], ARGV[7]) and redis.call('ZCARD', KEYS[5]) >= tonumber(ARGV[6]) then
    redis.call('DEL', KEYS[1])
    return {-1}
  end
  redis.call('ZADD', KEYS[5], ARGV[4], ARGV[7])
  return {1, token, 'new'}
end
if state == 'same' then return {1, token, 'same', meta} end
return {1, token, state, meta, fields, values}
`;

// KEYS: lock, meta, log, waiting, registry, records, fence.
// ARGV: token, idle (ms), now (ms), name, key prefix, wipe (1|0), meta pair count, meta pairs...,
//       then field, value pairs (an empty value deletes); ARGV[#ARGV] keep (1|0).
// -> {version, kept}: the lock is kept when asked (else handed to the first queued process);
//    {-1} when the lock is no longer this turn's (nothing written).
const commitScript = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return {-1} end
local keep = table.remove(ARGV)
if ARGV[6] == '1' then redis.call('DEL', KEYS[2], KEYS[3], KEYS[6]) end
local pairs = tonumber(ARGV[7])
if pairs > 0 then redis.call('HSET', KEYS[2], unpack(ARGV, 8, 7 + 2 * pairs)) end
local changed = 0
for i = 8 + 2 * pairs, #ARGV, 2 do
  if ARGV[i + 1] == '' then redis.call('HDEL', KEYS[6], ARGV[i]) else redis.call('HSET', KEYS[6], ARGV[i], ARGV[i + 1]) end
  redis.call('LPUSH', KEYS[3], ARGV[i])
  changed = changed + 1
end
local version = redis.call('HINCRBY', KEYS[2], 'version', changed)
if changed > 0 then redis.call('LTRIM', KEYS[3], 0, ${logLength - 1}) end
redis.call('PEXPIRE', KEYS[2], ARGV[2])
redis.call('PEXPIRE', KEYS[3], ARGV[2])
redis.call('PEXPIRE', KEYS[6], ARGV[2])
redis.call('ZADD', KEYS[5], ARGV[3], ARGV[4])
if keep == '1' then
  redis.call('PEXPIRE', KEYS[1], ${lockMs})
  return {version, 1}
end
${handoff(4, 2, 3, 6, 7, 4, 5)}
return {version, 0}
`;

// KEYS: lock, meta, log, waiting, records, fence. ARGV: token, name, key prefix. A turn that wrote
// nothing (it failed), or a grant nobody waits for any more, lets go.
const releaseScript = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
${handoff(4, 2, 3, 5, 6, 2, 3)}
return 1
`;

// KEYS: lock, meta, log, waiting, registry, records, fence. ARGV: token, name, key prefix.
const dropScript = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[2], KEYS[3], KEYS[6])
redis.call('ZREM', KEYS[5], ARGV[2])
${handoff(4, 2, 3, 6, 7, 2, 3)}
return 1
`;

type Script = (...args: (string | number)[]) => Promise<unknown>;

/**
 * A namespace's lock granted to this process by the holder that let go (its channel's message):
 * name, token, and when the grantee's copy (life `l`, version `v`) can catch up from it, the state
 * (`same` or `changes`), the meta, and the changed fields and their values (false: deleted).
 */
interface Grant {
  n: string;
  t: string;
  l?: string;
  v?: string;
  s?: string;
  m?: string[];
  f?: string[];
  x?: (string | false)[];
}

/** This process's copy of a namespace, as of `version` of its `life` (a new life after a drop or clear). */
class Copy {
  life = "";
  version = 0;
  /** The namespace's meta (ids, size, clock) as of `version`. */
  meta = new Map<string, string>();
  readonly table = new RecordTable();
  /** Each record's JSON length, by field (`kind id`). */
  readonly lengths = new Map<string, number>();

  forget() {
    this.life = "";
    this.version = 0;
    this.meta = new Map();
    this.table.clear();
    this.lengths.clear();
  }

  /** A record as Redis holds it (`position json`), or its deletion (null). */
  apply(field: string, value: string | null) {
    const [kind, id] = splitField(field);
    if (value === null) {
      this.table.remove(kind, id);
      this.lengths.delete(field);
      return;
    }
    const space = value.indexOf(" ");
    const position = Number(value.slice(0, space));
    const json = value.slice(space + 1);
    // Deleted and created again elsewhere: it moved to the end.
    if (this.table.position(kind, id) !== position) this.table.remove(kind, id);
    this.table.set(kind, id, JSON.parse(json) as StoredRecord, position);
    this.lengths.set(field, json.length);
  }
}

/** `[k1, v1, k2, v2]` -> `[[k1, v1], [k2, v2]]`. */
const pairsOf = (list: string[]): [string, string][] => Array.from({ length: list.length / 2 }, (_, i) => [list[2 * i]!, list[2 * i + 1]!]);

const splitField = (field: string): [string, string] => {
  const space = field.indexOf(" ");
  return [field.slice(0, space), field.slice(space + 1)];
};

/** One turn's view of a namespace: reads from the copy, writes to it and to the turn's changes. */
class RedisTurn implements Store {
  readonly clock: OffsetClock;
  /** Field -> `position json`, or "" for a deletion. */
  readonly changes = new Map<string, string>();
  private readonly undo = new Map<string, { record?: StoredRecord; position?: number; length?: number }>();
  readonly counters = new Map<string, number>();
  readonly changedCounters = new Set<string>();
  wiped: boolean;
  size: number;
  bytes: number;
  sequence: number;

  constructor(
    private readonly name: string,
    private readonly copy: Copy,
    meta: Map<string, string>,
    private readonly limits: StoreLimits,
    created: boolean,
  ) {
    this.wiped = created;
    this.clock = new OffsetClock(Number(meta.get("clock") ?? 0));
    this.size = Number(meta.get("size") ?? 0);
    this.bytes = Number(meta.get("bytes") ?? 0);
    this.sequence = Number(meta.get("seq") ?? 0);
    for (const [key, value] of meta) if (key.startsWith("id:")) this.counters.set(key.slice(3), Number(value));
  }

  async get(kind: string, id: string) {
    return this.copy.table.get(kind, id);
  }

  async put(kind: string, id: string, record: StoredRecord) {
    const field = `${kind} ${id}`;
    const json = JSON.stringify(record);
    const before = this.copy.lengths.get(field);
    if (before === undefined && this.size >= this.limits.records) throw namespaceFull(this.name, this.limits.records);
    const bytes = this.bytes + json.length - (before ?? 0);
    if (bytes > this.limits.bytes && json.length > (before ?? 0)) throw namespaceFull(this.name, this.limits.bytes, "characters of JSON");
    this.remember(field, kind, id);
    const position = before === undefined ? (this.sequence += 1) : this.copy.table.position(kind, id)!;
    this.copy.table.set(kind, id, record, position);
    this.copy.lengths.set(field, json.length);
    this.changes.set(field, `${position} ${json}`);
    if (before === undefined) this.size += 1;
    this.bytes = bytes;
  }

  async list(kind: string, match?: Match) {
    return this.copy.table.list(kind, match);
  }

  async delete(kind: string, id: string) {
    const field = `${kind} ${id}`;
    const length = this.copy.lengths.get(field);
    if (length === undefined) return false;
    this.remember(field, kind, id);
    this.copy.table.remove(kind, id);
    this.copy.lengths.delete(field);
    this.changes.set(field, "");
    this.size -= 1;
    this.bytes -= length;
    return true;
  }

  async nextId(kind: string, floor: number) {
    const next = Math.max(this.counters.get(kind) ?? 0, floor) + 1;
    this.counters.set(kind, next);
    this.changedCounters.add(kind);
    return next;
  }

  async dump() {
    return this.copy.table.dump();
  }

  async clear() {
    this.wiped = true;
    this.copy.table.clear();
    this.copy.lengths.clear();
    this.changes.clear();
    this.counters.clear();
    this.changedCounters.clear();
    this.size = this.bytes = this.sequence = 0;
    await this.clock.reset();
  }

  /** Puts the copy back as it was before the turn (which failed, so none of it is committed). */
  rollBack() {
    if (this.wiped) return this.copy.forget();
    for (const [field, before] of this.undo) {
      const [kind, id] = splitField(field);
      this.copy.table.remove(kind, id);
      this.copy.lengths.delete(field);
      if (before.record) {
        this.copy.table.set(kind, id, before.record, before.position);
        this.copy.lengths.set(field, before.length!);
      }
    }
  }

  /** The meta fields to write (all of them, after a wipe deleted the rest). */
  metaPairs(all = this.wiped): string[] {
    const pairs = ["seq", String(this.sequence), "size", String(this.size), "bytes", String(this.bytes), "clock", String(this.clock.offsetMs)];
    const counters = all ? this.counters.keys() : this.changedCounters.values();
    for (const kind of counters) pairs.push(`id:${kind}`, String(this.counters.get(kind)));
    return pairs;
  }

  private remember(field: string, kind: string, id: string) {
    if (this.undo.has(field)) return;
    this.undo.set(field, { record: this.copy.table.get(kind, id), position: this.copy.table.position(kind, id), length: this.copy.lengths.get(field) });
  }
}

/**
 * ioredis, required when a provider is made: a mock on the in-memory store (most of them) never
 * loads it (about 50 ms of CPU at every start).
 */
const loadRedis = () => (createRequire(import.meta.url)("ioredis") as typeof import("ioredis")).Redis;

/** Every namespace in one Redis, shared by every mock process that names it. */
export class RedisStoreProvider implements StoreProvider {
  readonly description: string;
  private readonly limits: StoreLimits;
  private readonly prefix: string;
  private readonly client: Redis;
  private readonly subscriber: Redis;
  /** This process, in the namespaces' queues. */
  private readonly process = randomBytes(8).toString("hex");
  /** Where the lock is granted to this process (handoff). */
  private readonly channel: string;
  private readonly queues = new Map<string, Promise<unknown>>();
  /** Turns queued in this process, by namespace: while more wait, a commit keeps the lock for them. */
  private readonly pending = new Map<string, number>();
  /** The lock's token, for namespaces whose lock this process kept for its next turn. */
  private readonly held = new Map<string, string>();
  /** How many turns in a row this process ran under the lock it holds, by namespace. */
  private readonly streaks = new Map<string, number>();
  /** Copies of the namespaces this process served last (least recently used first). */
  private readonly copies = new Map<string, Copy>();
  /** The turn waiting for a namespace's lock, by namespace (one at most: turns are queued). */
  private readonly waiters = new Map<string, (grant: Grant | undefined) => void>();
  /** Namespaces whose lock this process is asking Redis for right now. */
  private readonly acquiring = new Set<string>();
  /** A grant that came while its namespace's acquire was on its way (the acquire may have failed). */
  private readonly early = new Map<string, Grant>();
  /** The highest lock token this process used, by namespace: older grants are stale messages. */
  private readonly used = new Map<string, number>();
  private lastError: Error | undefined;
  private closed = false;

  constructor(options: RedisStoreOptions) {
    const parsed = parseRedisUrl(options.url);
    this.description = parsed.name;
    this.limits = { ...defaultLimits, ...parsed.limits, ...options.limits };
    this.prefix = parsed.prefix;
    this.channel = `${this.prefix}grant:${this.process}`;
    const Redis = loadRedis();
    this.client = new Redis({
      host: parsed.host,
      port: parsed.port,
      db: parsed.db,
      // While Redis is away, fail at once (a 503) rather than queue requests into a hang.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      // A refused connection (Redis down) fails at once anyway; this only bounds a connect that hangs.
      // 2 s was too short for a busy machine: the first connect of a just-started mock timed out at a
      // load average of 10, and its first requests were answered 503 until the reconnect.
      connectTimeout: 10_000,
      retryStrategy: (times) => Math.min(100 * times, 1_000),
    });
    this.subscriber = this.client.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null });
    for (const connection of [this.client, this.subscriber]) {
      connection.on("error", (error: Error) => void (this.lastError = error));
    }
    this.client.on("ready", () => void (this.lastError = undefined));
    this.client.defineCommand("billingAcquire", { numberOfKeys: 7, lua: acquireScript });
    this.client.defineCommand("billingCommit", { numberOfKeys: 7, lua: commitScript });
    this.client.defineCommand("billingRelease", { numberOfKeys: 6, lua: releaseScript });
    this.client.defineCommand("billingDrop", { numberOfKeys: 7, lua: dropScript });
    void this.subscriber.subscribe(this.channel).catch(() => undefined);
    this.subscriber.on("message", (_channel: string, message: string) => this.granted(JSON.parse(message) as Grant));
  }

  /** Resolves once connected, or after `ms` (the first turns then answer 503 until Redis is there). */
  async connected(ms = 2_000): Promise<void> {
    await this.ready(ms).catch(() => undefined);
  }

  inTurn<T>(name: string, task: (store: Store, created: boolean) => Promise<T>): Promise<T> {
    return this.queued(name, () => this.turn(name, task));
  }

  async has(name: string) {
    return (await this.redis(() => this.client.exists(this.key(name, "meta")))) === 1;
  }

  drop(name: string): Promise<void> {
    return this.queued(name, async () => {
      const kept = this.held.get(name);
      this.held.delete(name);
      const token = kept ?? (await this.acquire(name, new Copy()))[0];
      this.copies.delete(name);
      await this.redis(() =>
        this.script("billingDrop")(...this.keys(name, "lock", "meta", "log", "waiting"), this.registry, this.key(name, "records"), this.fence, token, name, this.prefix),
      );
    });
  }

  async close() {
    this.closed = true;
    this.client.disconnect();
    this.subscriber.disconnect();
  }

  private async turn<T>(name: string, task: (store: Store, created: boolean) => Promise<T>): Promise<T> {
    const copy = this.copyOf(name);
    // The lock kept by this process's previous turn (the copy is then current), or a fresh one.
    const kept = this.held.get(name);
    this.held.delete(name);
    const [token, state, meta] = kept ? [kept, "same", copy.meta] : await this.acquire(name, copy);
    const created = state === "new";
    const turn = new RedisTurn(name, copy, meta, this.limits, created);
    let result: T;
    try {
      result = await task(turn, created);
    } catch (error) {
      turn.rollBack();
      await this.release(name, token);
      throw error;
    }
    const changes = [...turn.changes].flat();
    const metaPairs = turn.metaPairs();
    // A wiped (or new) namespace starts a new life: every other process's copy is then stale.
    if (turn.wiped) metaPairs.push("life", token);
    const streak = kept ? (this.streaks.get(name) ?? 0) + 1 : 1;
    const keep = (this.pending.get(name) ?? 0) > 1 && streak < maxStreak;
    let reply: [number, number];
    try {
      reply = (await this.redis(() =>
        this.script("billingCommit")(
          ...this.keys(name, "lock", "meta", "log", "waiting"),
          this.registry,
          this.key(name, "records"),
          this.fence,
          token,
          Math.round(this.limits.idleSeconds * 1000),
          Date.now(),
          name,
          this.prefix,
          turn.wiped ? "1" : "0",
          metaPairs.length / 2,
          ...metaPairs,
          ...changes,
          keep ? "1" : "0",
        ),
      )) as [number, number];
    } catch (error) {
      copy.forget(); // Committed or not: the next turn reads the namespace afresh.
      throw error;
    }
    const [version, keptFor] = reply.map(Number) as [number, number];
    if (version === -1) {
      copy.forget();
      throw new StoreUnavailable(
        `The mock's store (${this.description}) gave namespace "${name}" to another mock process while this request held it ` +
          `(longer than ${lockMs / 1000} s); nothing of this request was kept. Send it again.`,
      );
    }
    if (turn.wiped) copy.life = token;
    copy.version = version;
    copy.meta = new Map(pairsOf([...turn.metaPairs(true), "life", copy.life, "version", String(version)]));
    if (keptFor === 1) {
      this.held.set(name, token);
      this.streaks.set(name, streak);
    } else {
      this.streaks.delete(name);
    }
    return result;
  }

  /**
   * Takes the namespace's lock, waiting (woken by the previous holder) while another process has it,
   * and brings the copy up to date. The token, the copy's state before, and the namespace's meta.
   */
  private async acquire(name: string, copy: Copy): Promise<[string, string, Map<string, string>]> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      this.acquiring.add(name);
      let reply: unknown[];
      try {
        reply = (await this.redis(() =>
          this.script("billingAcquire")(
            ...this.keys(name, "lock", "meta", "log", "waiting"),
            this.registry,
            this.fence,
            this.key(name, "records"),
            this.process,
            copy.life,
            copy.version,
            Date.now(),
            Math.round(this.limits.idleSeconds * 1000),
            this.limits.namespaces,
            name,
          ),
        )) as unknown[];
      } finally {
        this.acquiring.delete(name);
      }
      const head = Number(reply[0]);
      if (head === -1) throw tooManyNamespaces(this.limits.namespaces);
      if (head === 1) return this.take(name, String(reply[1]), String(reply[2]), this.update(copy, reply.slice(1)));
      // Taken: queued in Redis, this process waits for the holder's grant (it may have come already).
      let grant = this.fresh(name, this.early.get(name));
      this.early.delete(name);
      if (!grant && Date.now() > deadline) {
        throw new StoreUnavailable(`Namespace "${name}" of the mock's store (${this.description}) stayed busy for ${waitMs / 1000} s; send the request again.`);
      }
      grant ??= await this.wake(name, Math.min(Math.max(Number(reply[1]), 1), 200));
      // A grant with the changes since this copy: the turn runs at once. Without them (the
      // namespace is empty, or the copy too far behind), the acquire script takes them: the lock is
      // this process's now.
      if (grant?.s && grant.l === copy.life && Number(grant.v) <= copy.version) {
        const meta = this.update(copy, [grant.t, grant.s, grant.m, grant.f, grant.x?.map((value) => (value === false ? null : value))]);
        return this.take(name, grant.t, grant.s, meta);
      }
    }
  }

  /** Notes the token this process now holds the namespace's lock with. */
  private take(name: string, token: string, state: string, meta: Map<string, string>): [string, string, Map<string, string>] {
    this.used.set(name, Math.max(this.used.get(name) ?? 0, parseInt(token, 10)));
    this.early.delete(name);
    return [token, state, meta];
  }

  /** The grant, unless it is older than a lock this process already used (a late message). */
  private fresh(name: string, grant: Grant | undefined): Grant | undefined {
    return grant && parseInt(grant.t, 10) > (this.used.get(name) ?? 0) ? grant : undefined;
  }

  /** A lock granted to this process: to the turn waiting for it, or back if none is. */
  private granted(grant: Grant) {
    const name = grant.n;
    if (!this.fresh(name, grant)) return;
    const waiter = this.waiters.get(name);
    if (waiter) return waiter(grant);
    // Its acquire is on its way: it finds the lock its own, or (if it ran first) takes the grant after.
    if (this.acquiring.has(name)) return void this.early.set(name, grant);
    // Nobody here waits for it any more (gave up): let go at once, so the namespace is not blocked.
    this.used.set(name, Math.max(this.used.get(name) ?? 0, parseInt(grant.t, 10)));
    void this.release(name, grant.t);
  }

  /** Lets go of the lock (a turn that wrote nothing), granting it to the next queued process. */
  private async release(name: string, token: string) {
    await this.redis(() =>
      this.script("billingRelease")(...this.keys(name, "lock", "meta", "log", "waiting", "records"), this.fence, token, name, this.prefix),
    ).catch(() => undefined);
  }

  /** Brings the copy in step with what the acquire script answered; the namespace's meta. */
  private update(copy: Copy, reply: unknown[]): Map<string, string> {
    const [, state, metaList, first, second] = reply as [unknown, string, string[] | undefined, string[] | undefined, (string | null)[] | undefined];
    const meta = new Map<string, string>();
    for (let i = 0; i < (metaList?.length ?? 0); i += 2) meta.set(metaList![i]!, metaList![i + 1]!);
    if (state === "new") {
      copy.forget();
      return meta;
    }
    if (state === "changes") {
      // The log is newest first: apply oldest first, so that new records arrive in insertion order.
      const values = new Map<string, string | null>();
      for (let i = first!.length - 1; i >= 0; i -= 1) if (!values.has(first![i]!)) values.set(first![i]!, second![i] ?? null);
      for (const [field, value] of values) copy.apply(field, value);
    } else if (state === "all") {
      copy.forget();
      // A hash has no order: insert by position, each kind's records once, in order.
      const records: [string, string, number][] = [];
      for (let i = 0; i < first!.length; i += 2) records.push([first![i]!, first![i + 1]!, Number(first![i + 1]!.slice(0, first![i + 1]!.indexOf(" ")))]);
      for (const [field, value] of records.sort((a, b) => a[2] - b[2])) copy.apply(field, value);
    }
    copy.life = meta.get("life") ?? "";
    copy.version = Number(meta.get("version") ?? 0);
    copy.meta = meta;
    return meta;
  }

  /** Waits for the namespace's holder to grant it the lock, at most `ms` (then undefined: ask again). */
  private wake(name: string, ms: number): Promise<Grant | undefined> {
    return new Promise((resolve) => {
      const done = (grant: Grant | undefined) => {
        clearTimeout(timer);
        if (this.waiters.get(name) === done) this.waiters.delete(name);
        resolve(grant);
      };
      const timer = setTimeout(() => done(undefined), ms);
      this.waiters.set(name, done);
    });
  }

  private copyOf(name: string): Copy {
    let copy = this.copies.get(name);
    if (copy) this.copies.delete(name);
    this.copies.set(name, (copy ??= new Copy()));
    for (const [other] of this.copies) {
      if (this.copies.size <= this.limits.namespaces) break;
      if (this.queues.has(other)) continue;
      this.copies.delete(other);
      this.used.delete(other);
    }
    return copy;
  }

  private get registry() {
    return `${this.prefix}namespaces`;
  }

  /** The counter of lock tokens, for every namespace. */
  private get fence() {
    return `${this.prefix}fence`;
  }

  private key(name: string, part: string) {
    // The hash tag keeps a namespace's keys together, should the Redis be a cluster.
    return `${this.prefix}ns:{${name}}:${part}`;
  }

  private keys(name: string, ...parts: string[]) {
    return parts.map((part) => this.key(name, part));
  }

  private script(name: string): Script {
    return (this.client as unknown as Record<string, Script>)[name]!.bind(this.client);
  }

  /** A command, with Redis's absence as `StoreUnavailable`. */
  private async redis<T>(command: () => Promise<T>): Promise<T> {
    // Still connecting (no error yet, as at start on a busy machine): worth a wait.
    await this.ready(5_000);
    try {
      return await command();
    } catch (error) {
      throw this.unavailable(error as Error);
    }
  }

  private async ready(ms: number): Promise<void> {
    if (this.client.status === "ready") return;
    if (this.closed) throw this.unavailable(new Error("the mock is closed"));
    // Known to be away: answer at once, so that queued requests do not each wait their turn to fail.
    if (this.lastError) throw this.unavailable(this.lastError);
    await new Promise<void>((resolve, reject) => {
      const onReady = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.client.off("ready", onReady);
        reject(this.unavailable(this.lastError));
      }, ms);
      this.client.once("ready", onReady);
    });
  }

  private unavailable(error: Error | undefined): StoreUnavailable {
    if (error instanceof StoreUnavailable) return error;
    const reason = error?.message ?? "not connected";
    return new StoreUnavailable(
      `The mock's store, Redis at ${this.description}, cannot be reached (${reason}); ` +
        "the mock reconnects by itself and answers again as soon as Redis is back.",
    );
  }

  /** Runs `task` after every earlier task of the namespace in this process has settled. */
  private queued<T>(name: string, task: () => Promise<T>): Promise<T> {
    this.pending.set(name, (this.pending.get(name) ?? 0) + 1);
    const previous = this.queues.get(name) ?? Promise.resolve();
    const run = previous.then(task, task).finally(() => {
      const left = this.pending.get(name)! - 1;
      if (left === 0) this.pending.delete(name);
      else this.pending.set(name, left);
    });
    const settled = run.catch(() => undefined);
    this.queues.set(name, settled);
    void settled.then(() => {
      if (this.queues.get(name) === settled) this.queues.delete(name);
    });
    return run;
  }
}

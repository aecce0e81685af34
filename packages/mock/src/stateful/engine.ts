/**
 * The stateful responder: for a request the pipeline has already validated, the answer from the
 * namespace's store, by the operation's rule (rules/) or else its row in the table (resources.ts).
 * Requests to one namespace run one at a time (the store provider's turns, across processes for a
 * shared store), so a rule's read-then-write is never interleaved.
 */
import type { IHttpOperation } from "@stoplight/types";
import { Call, iso, type Reply, type Universe } from "./call.js";
import { runPlain } from "./crud.js";
import { kinds, operations as table } from "./resources.js";
import { rules } from "./rules/index.js";
import type { Schema } from "./schema.js";
import { placeSeeds, seedsFrom, type Seeds } from "./seed.js";
import { timeRules } from "./rules/time.js";
import { runTimeStep, type ClockSummary, type TimeChange } from "./time-step.js";
import { MemoryStoreProvider, type Store, type StoreProvider } from "./store.js";

/** The rules whose entries are notices, not changes (the clock's answer lists them apart). */
const noticeRules = new Set(timeRules.filter((rule) => rule.notice).map((rule) => rule.name));

export type { Reply } from "./call.js";

/**
 * Watches every stateful answer, inside the namespace's turn: `before` runs ahead of the rule (to
 * keep what the call is about to change), `after` sees the answer. The webhooks' events hang here.
 */
export interface CallObserver {
  before(namespace: string, operationId: string, call: Call): Promise<unknown>;
  after(namespace: string, operationId: string, call: Call, reply: Reply, before: unknown): Promise<void>;
  /** What the clock's time step changed, inside the namespace's turn (the store is that turn's). */
  timeChanged?(namespace: string, store: Store, changes: TimeChange[]): Promise<void>;
}

/** The namespace of requests without a `Mock-Namespace` header. */
export const defaultNamespace = "default";
const namespacePattern = /^[A-Za-z0-9._:-]{1,100}$/;

/** Why a namespace name is refused, or undefined when it is a good one. */
export function namespaceProblem(name: string): string | undefined {
  return namespacePattern.test(name)
    ? undefined
    : `Mock-Namespace must be 1 to 100 letters, digits, ".", "_", ":" or "-"; got ${JSON.stringify(name)}.`;
}

export class StatefulEngine implements Universe {
  readonly seeds: Seeds;
  private readonly schemas = new Map<string, Schema | undefined>();
  private readonly byId: Map<string, IHttpOperation>;
  /** Told of every answer (webhooks/dispatcher.ts); none by default. */
  observer: CallObserver | undefined;

  constructor(
    operations: IHttpOperation[],
    private readonly provider: StoreProvider = new MemoryStoreProvider(),
  ) {
    this.byId = new Map(operations.map((operation) => [operation.iid ?? operation.id, operation]));
    this.seeds = seedsFrom(operations);
    for (const kind of Object.keys(kinds)) this.schemas.set(kind, kindSchema(kind, operations));
  }

  operation(operationId: string): IHttpOperation | undefined {
    return this.byId.get(operationId);
  }

  schemaOf(kind: string): Schema | undefined {
    return this.schemas.get(kind);
  }

  /** Whether the store answers this operation (else its documented examples do, as in stateless mode). */
  handles(operationId: string): boolean {
    return operationId in table || operationId in rules;
  }

  respond(namespace: string, operation: IHttpOperation, path: Record<string, string>, query: Record<string, string | string[]>, body: unknown): Promise<Reply> {
    return this.inTurn(namespace, async (store) => {
      const call = new Call(operation, path, query, body, store, this, await store.clock.now());
      const operationId = operation.iid ?? operation.id;
      const plain = table[operationId];
      if (plain) call.plain = (extra) => runPlain(call, plain, extra);
      const rule = rules[operationId];
      const before = this.observer ? await this.observer.before(namespace, operationId, call) : undefined;
      const reply = await (rule ? rule(call) : call.plain!());
      if (this.observer) await this.observer.after(namespace, operationId, call, reply, before);
      return reply;
    });
  }

  /** Back to the seeds and real time. */
  reset(namespace: string): Promise<void> {
    return this.provider.drop(namespace);
  }

  /**
   * Moves the namespace's clock to `target(now)` (never back) and runs the time step: everything
   * due up to then, in time order, by the time rules. Answers what happened, and tells the observer
   * (webhooks) what changed.
   */
  moveClock(namespace: string, target: (now: Date) => Date): Promise<ClockSummary> {
    return this.inTurn(namespace, async (store) => {
      const from = await store.clock.now();
      const until = target(from);
      const happened = await runTimeStep(store, this, timeRules, until, from);
      await store.clock.set(until);
      // The webhooks go out in time order, notices among changes.
      if (this.observer?.timeChanged) await this.observer.timeChanged(namespace, store, happened);
      const answered = happened.map(({ payloads: _payloads, ...entry }) => entry);
      return { namespace, now: iso(until), changes: answered.filter((entry) => !noticeRules.has(entry.rule)), notices: answered.filter((entry) => noticeRules.has(entry.rule)) };
    });
  }

  /**
   * Runs `task` with the namespace's store in the namespace's turn (after every earlier turn has
   * settled, in every process sharing the store); a namespace's first turn seeds it.
   */
  inTurn<T>(namespace: string, task: (store: Store) => Promise<T>): Promise<T> {
    return this.provider.inTurn(namespace, async (store, created) => {
      if (created) await this.seed(store);
      return task(store);
    });
  }

  /** Lets go of the store's connections. */
  close(): Promise<void> {
    return this.provider.close();
  }

  /** Placed at the namespace's start, so a fresh namespace is consistent with its own clock. */
  private async seed(store: Store) {
    for (const [kind, records] of placeSeeds(this.seeds, await store.clock.now())) {
      const idField = kinds[kind]!.idField;
      for (const record of records) await store.put(kind, String(record[idField]), record);
    }
  }
}

/** A kind's schema, as the first operation that answers it (its seeds' first) documents it. */
function kindSchema(kind: string, operations: IHttpOperation[]): Schema | undefined {
  const declared = kinds[kind]!;
  const answering = [...declared.seeds, ...Object.entries(table).filter(([, plain]) => plain.kind === kind).map(([id]) => id)];
  for (const operationId of answering) {
    const operation = operations.find((o) => o.iid === operationId);
    const schema = operation?.responses.find((r) => r.code.startsWith("2"))?.contents?.[0]?.schema as Schema | undefined;
    if (!schema) continue;
    const item = schema.type === "array" ? schema.items : schema;
    const collection = Object.values(item?.properties ?? {}).find((p) => p.type === "array" && p.items?.properties)?.items;
    const resource = declared.wrapper && item?.properties?.[declared.wrapper] ? item.properties[declared.wrapper] : collection ?? item;
    if (resource) return resource;
  }
  return undefined;
}

/**
 * The stateful responder: for a request the pipeline has already validated, the answer from the
 * namespace's store, by the operation's rule (rules/) or else its row in the table (resources.ts).
 * Requests to one namespace run one at a time, so a rule's read-then-write is never interleaved.
 */
import type { IHttpOperation } from "@stoplight/types";
import { Call, iso, type Reply, type Universe } from "./call.js";
import { runPlain } from "./crud.js";
import { kinds, operations as table } from "./resources.js";
import { rules } from "./rules/index.js";
import type { Schema } from "./schema.js";
import { placeSeeds, seedsFrom, type Seeds } from "./seed.js";
import { timeRules } from "./rules/time.js";
import { runTimeStep, type ClockSummary } from "./time-step.js";
import { MemoryStoreProvider, type Store, type StoreProvider } from "./store.js";

export type { Reply } from "./call.js";

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
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly byId: Map<string, IHttpOperation>;

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
    return this.inTurn(namespace, async () => {
      const call = new Call(operation, path, query, body, await this.store(namespace), this);
      const operationId = operation.iid ?? operation.id;
      const plain = table[operationId];
      if (plain) call.plain = (extra) => runPlain(call, plain, extra);
      const rule = rules[operationId];
      return rule ? rule(call) : call.plain!();
    });
  }

  /** Back to the seeds and real time. */
  reset(namespace: string): Promise<void> {
    return this.inTurn(namespace, async () => this.provider.drop(namespace));
  }

  /**
   * Moves the namespace's clock to `target(now)` (never back) and runs the time step: everything
   * due up to then, in time order, by the time rules. Answers what happened.
   */
  moveClock(namespace: string, target: (now: Date) => Date): Promise<ClockSummary> {
    return this.inTurn(namespace, async () => {
      const store = await this.store(namespace);
      const until = target(store.clock.now());
      const changes = await runTimeStep(store, this, timeRules, until);
      store.clock.set(until);
      return { namespace, now: iso(until), changes };
    });
  }

  /** The namespace's store, seeded on first use. */
  async store(namespace: string): Promise<Store> {
    const fresh = !this.provider.has(namespace);
    const store = this.provider.namespace(namespace);
    if (fresh) {
      // Placed at the namespace's start, so a fresh namespace is consistent with its own clock.
      for (const [kind, records] of placeSeeds(this.seeds, store.clock.now())) {
        const idField = kinds[kind]!.idField;
        for (const record of records) await store.put(kind, String(record[idField]), record);
      }
    }
    return store;
  }

  /** Runs `task` after every earlier task of the namespace has settled. */
  inTurn<T>(namespace: string, task: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(namespace) ?? Promise.resolve();
    const run = previous.then(task, task);
    const settled = run.catch(() => undefined);
    this.queues.set(namespace, settled);
    void settled.then(() => {
      if (this.queues.get(namespace) === settled) this.queues.delete(namespace);
    });
    return run;
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

/**
 * One request to the stateful mock, as the table's actions and the rules see it: the validated
 * parameters and body, the namespace's store and time, and the ways to answer that the spec
 * documents (the success status, a named example, the 404).
 */
import type { IHttpOperation } from "@stoplight/types";
import { kinds } from "./resources.js";
import { isObject, project, type Schema } from "./schema.js";
import type { Store, StoredRecord } from "./store.js";

export interface Reply {
  status: number;
  body?: unknown;
  /**
   * What a refusal was about, for the webhook it sends (never answered): a signup the gateway
   * declined, as its `signup_failure` shows it (`failed_to_create`, stored nowhere), or the declined
   * payment of a charge or a reactivation (the transaction its `payment_failure` shows).
   */
  refused?: StoredRecord;
  /**
   * The payment a success took at the gateway (a signup's, a reactivation's), as the transaction of
   * its payment_success webhook: built only when an endpoint listens, in the call's turn.
   */
  payment?: () => Promise<StoredRecord>;
}

/** What the engine shares with every call: the seeds, and each kind's schema as its reads answer it. */
export interface Universe {
  seeds: Map<string, StoredRecord[]>;
  schemaOf(kind: string): Schema | undefined;
  operation(operationId: string): IHttpOperation | undefined;
}

/** An ISO date-time without milliseconds, as the API writes them: `2026-12-02T14:25:13Z`. */
export const iso = (date: Date) => `${date.toISOString().slice(0, -5)}Z`;

export class Call {
  /** The table's behaviour for this operation, when it has one; a rule may call it. */
  plain?: (extra?: StoredRecord) => Promise<Reply>;

  constructor(
    readonly operation: IHttpOperation,
    readonly path: Record<string, string>,
    readonly query: Record<string, string | string[]>,
    readonly body: unknown,
    readonly store: Store,
    readonly universe: Universe,
    /** The namespace's time when the request's turn began. */
    readonly now: Date,
  ) {}

  get nowIso(): string {
    return iso(this.now);
  }

  /** The resource the request body wraps (`{"customer": {...}}` -> the customer), or the body itself. */
  sent(wrapper: string): Record<string, unknown> {
    const body = this.body;
    if (isObject(body) && isObject(body[wrapper])) return body[wrapper];
    return isObject(body) ? body : {};
  }

  /** The operation's documented success status (the one 2xx it declares). */
  get successStatus(): number {
    return Number(this.operation.responses.find((r) => r.code.startsWith("2"))!.code);
  }

  /** The schema of a documented response body. */
  responseSchema(status: number = this.successStatus): Schema | undefined {
    return this.operation.responses.find((r) => r.code === String(status))?.contents?.[0]?.schema as Schema | undefined;
  }

  /** The success answer with `body` (none for a 204). */
  ok(body?: unknown): Reply {
    return body === undefined ? { status: this.successStatus } : { status: this.successStatus, body };
  }

  /** A documented answer: its named example's body (for errors, the API's own message), edited by `edit`. */
  example(status: number, exampleKey?: string, edit?: (body: unknown) => unknown): Reply {
    const response = this.operation.responses.find((r) => r.code === String(status));
    const examples = response?.contents?.flatMap((content) => content.examples ?? []) ?? [];
    const example = exampleKey === undefined ? examples[0] : examples.find((e) => e.key === exampleKey);
    if (!example || !("value" in example)) {
      throw new Error(`${this.operation.iid} documents no ${status} example ${exampleKey ?? ""}; the stateful mock answers with the spec's own bodies.`);
    }
    const body = structuredClone(example.value);
    return { status, body: edit ? edit(body) : body };
  }

  /** `{"errors": [...]}` with the operation's status: for messages the examples do not hold verbatim. */
  errors(status: number, ...messages: string[]): Reply {
    return { status, body: { errors: messages } };
  }

  notFound(): Reply {
    return this.example(404);
  }

  /** A stored record as answered: its embedded resources refreshed from the store. */
  async render(kind: string, record: StoredRecord): Promise<StoredRecord> {
    const embeds = kinds[kind]?.embeds;
    if (!embeds) return record;
    const rendered = { ...record };
    for (const [field, embeddedKind] of Object.entries(embeds)) {
      const embedded = record[field];
      if (!isObject(embedded) || embedded.id === undefined) continue;
      const current = await this.store.get(embeddedKind, String(embedded.id));
      if (current) rendered[field] = current;
    }
    return rendered;
  }

  /** The success answer for one resource: rendered, wrapped as this operation's schema wraps it. */
  async answer(kind: string, record: StoredRecord): Promise<Reply> {
    const rendered = await this.render(kind, record);
    const wrapper = kinds[kind]?.wrapper;
    const schema = this.responseSchema();
    if (wrapper && schema?.properties?.[wrapper]) return this.ok({ [wrapper]: project(schema.properties[wrapper], rendered) });
    return this.ok(project(schema, rendered));
  }

  /** A path or query value naming a resource of `kind`, as the store keys it. */
  key(kind: string, value: string | string[] | undefined): string {
    const text = Array.isArray(value) ? value[0] ?? "" : value ?? "";
    return kinds[kind]?.newId === "integer" && /^[+-]?\d+$/.test(text) ? String(Number(text)) : text;
  }

  /** A query parameter's single value. */
  param(name: string): string | undefined {
    const value = this.query[name];
    return Array.isArray(value) ? value[0] : value;
  }

  /** A query parameter's values (`include[]=a&include[]=b`). */
  params(name: string): string[] {
    const value = this.query[name];
    return value === undefined ? [] : Array.isArray(value) ? value : [value];
  }
}

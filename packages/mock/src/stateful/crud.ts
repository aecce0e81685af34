/**
 * The plain create, read, update, delete, list and lookup of every resource in the table
 * (resources.ts), written once. A new record starts from its kind's first seed with every field the
 * schema lets be null set to null, takes what the request sent, and gets its id and timestamps.
 */
import type { Call, Reply } from "./call.js";
import { fieldAt, kinds, type Parent, type Plain } from "./resources.js";
import { allowsNull, project, propertiesOf, writableFields, type Schema } from "./schema.js";
import type { Match, StoredRecord } from "./store.js";

/** The most a page holds, whatever `per_page` asks: the API serves 200. */
const maxPerPage = 200;

export async function runPlain(call: Call, plain: Plain, extra: StoredRecord = {}): Promise<Reply> {
  switch (plain.action) {
    case "create":
      return create(call, plain.kind, plain.parent, extra);
    case "read":
    case "update":
    case "delete": {
      const record = await find(call, plain.kind, call.path[plain.id], plain.parent);
      if (!record) return call.notFound();
      if (plain.action === "read") return call.answer(plain.kind, record);
      if (plain.action === "update") return call.answer(plain.kind, await update(call, plain.kind, record, extra));
      await call.store.delete(plain.kind, String(record[kinds[plain.kind]!.idField]));
      return call.ok(call.responseSchema() ? await call.render(plain.kind, record) : undefined);
    }
    case "list":
      return list(call, plain);
    case "lookup": {
      const wanted = call.param(plain.query);
      const scope = Object.entries(plain.scope ?? {}).filter(([param]) => call.param(param) !== undefined);
      const records = wanted === undefined ? [] : await call.store.list(plain.kind, { field: plain.field, value: wanted });
      const record = records.find(
        (r) => String(r[plain.field]) === wanted && scope.every(([param, field]) => String(fieldAt(r, field)) === call.param(param)),
      );
      return record ? call.answer(plain.kind, record) : call.notFound();
    }
  }
}

/** A stored record by the id in the path, if it exists (under its parent, when the path names one). */
export async function find(call: Call, kind: string, id: string | undefined, parent?: Parent): Promise<StoredRecord | undefined> {
  const record = await call.store.get(kind, call.key(kind, id));
  if (!record || !parent) return record;
  return String(fieldAt(record, parent.field)) === call.key(parent.kind ?? "", call.path[parent.param]) ? record : undefined;
}

/** A fresh id in the kind's format: an integer above the seeds, or a prefix and random characters. */
export async function newId(call: Call, kind: string): Promise<string | number> {
  const declared = kinds[kind]!;
  if (declared.newId === "integer") {
    const seeds = call.universe.seeds.get(kind) ?? [];
    const named = declared.idsIn ? (call.universe.seeds.get(declared.idsIn.kind) ?? []).flatMap((seed) => seed[declared.idsIn!.field] as unknown[]) : [];
    const ids = [...seeds.map((seed) => seed[declared.idField]), ...named].map((id) => Number(id) || 0);
    return call.store.nextId(kind, Math.max(0, ...ids));
  }
  const alphabet = "0123456789abcdefghjkmnpqrstvwxyz";
  let id = declared.newId.prefix;
  for (let i = 0; i < declared.newId.length; i += 1) id += alphabet[Math.floor(Math.random() * alphabet.length)];
  return id;
}

/** What a new record of `kind` holds before the request's fields: a seed's, with nullable fields null. */
export function template(call: Call, kind: string, seed?: StoredRecord): StoredRecord {
  const schema = call.universe.schemaOf(kind);
  const base = structuredClone(seed ?? call.universe.seeds.get(kind)?.[0] ?? {});
  const properties = propertiesOf(schema);
  for (const [name, property] of Object.entries(properties)) if (name in base && allowsNull(property)) base[name] = null;
  return base;
}

/** Stamps `created_at` and `updated_at` where the kind has them. */
function stamp(call: Call, kind: string, record: StoredRecord, created: boolean): StoredRecord {
  const properties = propertiesOf(call.universe.schemaOf(kind));
  if (created && "created_at" in properties) record.created_at = call.nowIso;
  if ("updated_at" in properties) record.updated_at = call.nowIso;
  return record;
}

async function create(call: Call, kind: string, parent: Parent | undefined, extra: StoredRecord): Promise<Reply> {
  const fields = { ...extra };
  if (parent) {
    if (parent.kind && !(await call.store.get(parent.kind, call.key(parent.kind, call.path[parent.param])))) return call.notFound();
    fields[parent.field] = Number(call.path[parent.param]);
  }
  return call.answer(kind, await createRecord(call, kind, call.sent(kinds[kind]!.wrapper ?? ""), fields));
}

/** Stores a new record of `kind` from the fields `sent` (then `extra`), with its id and timestamps. */
export async function createRecord(call: Call, kind: string, sent: unknown, extra: StoredRecord = {}): Promise<StoredRecord> {
  const declared = kinds[kind]!;
  const record: StoredRecord = { ...template(call, kind), ...writableFields(call.universe.schemaOf(kind), sent), ...extra };
  record[declared.idField] = extra[declared.idField] ?? (await newId(call, kind));
  stamp(call, kind, record, true);
  await call.store.put(kind, String(record[declared.idField]), record);
  return record;
}

/** Merges the request's fields (then `extra`) into a stored record and saves it. */
export async function update(call: Call, kind: string, record: StoredRecord, extra: StoredRecord = {}): Promise<StoredRecord> {
  const declared = kinds[kind]!;
  const updated = { ...record, ...writableFields(call.universe.schemaOf(kind), call.sent(declared.wrapper ?? "")), ...extra };
  stamp(call, kind, updated, false);
  await call.store.put(kind, String(record[declared.idField]), updated);
  return updated;
}

/** The `per_page` default the operation documents (20 for most lists, 50 for customers). */
function defaultPerPage(call: Call): number {
  const param = call.operation.request?.query?.find((p) => p.name === "per_page");
  return Number((param?.schema as Schema | undefined)?.default ?? 20);
}

async function list(call: Call, plain: Extract<Plain, { action: "list" }>): Promise<Reply> {
  const { parent } = plain;
  if (parent?.kind && !(await call.store.get(parent.kind, call.key(parent.kind, call.path[parent.param])))) return call.notFound();
  // One equality (the parent, or a filter such as customer_id) is answered by the store's index.
  const indexed = Object.entries(plain.filters ?? {}).find(([param, keep]) => keep.field && typeof call.query[param] === "string");
  const match: Match | undefined = parent
    ? { field: parent.field, value: call.key(parent.kind ?? "", call.path[parent.param]) }
    : indexed
      ? { field: indexed[1].field!, value: call.query[indexed[0]] as string }
      : undefined;
  let records = await call.store.list(plain.kind, match);
  for (const [param, keep] of Object.entries(plain.filters ?? {})) {
    const value = call.query[param];
    if (value !== undefined) records = records.filter((r) => keep(r, value, call.query));
  }
  const sortedBy = plain.sort?.[call.param("sort") ?? ""];
  if (sortedBy) {
    // By time (the API mixes offsets); a record without one goes last.
    const time = (record: StoredRecord) => Date.parse(String(fieldAt(record, sortedBy))) || Number.MAX_SAFE_INTEGER;
    records = [...records].sort((a, b) => time(a) - time(b));
  }
  if (call.param("direction") === "desc") records = records.reverse();
  const page = Number(call.param("page") ?? 1);
  const perPage = Math.min(Number(call.param("per_page") ?? defaultPerPage(call)), maxPerPage);
  const onPage = records.slice((page - 1) * perPage, page * perPage);

  const schema = call.responseSchema();
  const wrapper = kinds[plain.kind]!.wrapper;
  if (plain.collection) {
    const itemSchema = schema?.properties?.[plain.collection]?.items;
    const items = await Promise.all(onPage.map(async (r) => project(itemSchema, await call.render(plain.kind, r))));
    return call.ok({ [plain.collection]: items, meta: { current_page: page, total_count: records.length } });
  }
  const itemSchema = wrapper ? schema?.items?.properties?.[wrapper] : schema?.items;
  const items = await Promise.all(onPage.map(async (r) => project(itemSchema, await call.render(plain.kind, r))));
  return call.ok(items.map((item) => (wrapper ? { [wrapper]: item } : item)));
}

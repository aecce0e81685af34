/**
 * What the stateful mock reads from a (dereferenced) response schema to build records the spec
 * accepts: which fields a resource has, which may be null, and the JSON types of request values that
 * the API takes as text (`"customer_id": "150"`, `"expiration_year": "2030"`).
 */
import { isObject, type JsonSchema } from "@billing-api/conformance";

/** A schema node: the project's one schema type (@billing-api/conformance), by the name this engine uses. */
export type Schema = JsonSchema;

// One definition for the whole project; re-exported for the engine and the rules that read it here.
export { isObject };

const propertiesCache = new WeakMap<Schema, Record<string, Schema>>();

/** The properties an object schema declares, through `allOf`, `oneOf` and `anyOf` branches. */
export function propertiesOf(schema: Schema | undefined): Record<string, Schema> {
  if (!schema) return {};
  let properties = propertiesCache.get(schema);
  if (!properties) {
    const branches = [...(schema.allOf ?? []), ...(schema.oneOf ?? []), ...(schema.anyOf ?? [])];
    properties = Object.assign({}, ...branches.map(propertiesOf), schema.properties ?? {}) as Record<string, Schema>;
    propertiesCache.set(schema, properties);
  }
  return properties;
}

/** Whether `null` is a valid value of the schema. */
export function allowsNull(schema: Schema | undefined): boolean {
  if (!schema) return false;
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  if (types.includes("null") || schema.const === null || schema.enum?.includes(null)) return true;
  return [...(schema.oneOf ?? []), ...(schema.anyOf ?? [])].some(allowsNull);
}

function typesOf(schema: Schema | undefined): string[] {
  if (!schema) return [];
  const own = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  return [...own, ...[...(schema.oneOf ?? []), ...(schema.anyOf ?? []), ...(schema.allOf ?? [])].flatMap(typesOf)];
}

/** Whether a JSON value is of one of the types (any, when none is declared). */
function fits(types: string[], value: unknown): boolean {
  if (types.length === 0) return true;
  const type = value === null ? "null" : Array.isArray(value) ? "array" : typeof value;
  if (type === "number") return types.includes("number") || (types.includes("integer") && Number.isInteger(value));
  return types.includes(type);
}

/**
 * A request value as the response schema types it: numbers and flags sent as text become JSON, a
 * number the response writes as text becomes text (`snap_day: 1` -> `"1"`).
 */
export function coerce(schema: Schema | undefined, value: unknown): unknown {
  const types = typesOf(schema);
  if (typeof value === "number" && types.includes("string") && !types.includes("number") && !types.includes("integer")) return String(value);
  if (typeof value === "string" && !types.includes("string")) {
    if ((types.includes("integer") || types.includes("number")) && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
    if (types.includes("boolean") && ["true", "1", "false", "0"].includes(value)) return value === "true" || value === "1";
  }
  if (typeof value === "number" && types.includes("boolean") && !types.includes("integer") && (value === 0 || value === 1)) return value === 1;
  return value;
}

/**
 * The fields of a request resource that the stored resource keeps: the schema's, writable, typed.
 * A value the response could not carry (a request field that takes more than its answer shows) is
 * left out rather than stored, so one request cannot spoil every later answer about the resource.
 */
export function writableFields(schema: Schema | undefined, sent: unknown): Record<string, unknown> {
  if (!isObject(sent)) return {};
  const properties = propertiesOf(schema);
  const fields: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(sent)) {
    const property = properties[name];
    if (!property || property.readOnly) continue;
    const typed = coerce(property, value);
    if (fits(typesOf(property), typed)) fields[name] = typed;
  }
  return fields;
}

/** Drops the keys a closed object schema does not declare (one view of a richer stored record). */
export function project(schema: Schema | undefined, value: unknown): unknown {
  if (!schema || !isObject(value)) return value;
  const properties = schema.properties;
  if (!properties || (schema.additionalProperties !== false && schema.unevaluatedProperties !== false)) return value;
  return Object.fromEntries(Object.entries(value).filter(([name]) => name in properties).map(([name, v]) => [name, project(properties[name], v)]));
}

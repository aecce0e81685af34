/** The small JSON helpers every judge and its callers share: one definition each. */

/** A JSON object (not an array, not null). */
export const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** One JSON-pointer segment, escaped (RFC 6901: `~` as `~0`, `/` as `~1`). */
export const escapeSegment = (segment: string): string => segment.replace(/~/g, "~0").replace(/\//g, "~1");

/** One JSON-pointer segment, unescaped. */
export const unescapeSegment = (segment: string): string => segment.replace(/~1/g, "/").replace(/~0/g, "~");

/**
 * A schema node of the bundled document as the project's code reads it: the JSON Schema keywords it
 * looks at, typed; any other keyword is there as `unknown`.
 */
export type JsonSchema = {
  $ref?: string;
  type?: string | string[];
  const?: unknown;
  enum?: unknown[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  allOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  discriminator?: { propertyName: string; mapping?: Record<string, string> };
  additionalProperties?: unknown;
  unevaluatedProperties?: unknown;
  readOnly?: boolean;
  writeOnly?: boolean;
  default?: unknown;
  contains?: JsonSchema;
  maxContains?: number;
  not?: JsonSchema;
  if?: JsonSchema;
  then?: JsonSchema;
  [keyword: string]: unknown;
};

/** The value at a JSON pointer (`/paths/~1customers.json/get`), or undefined where there is none. */
export function valueAtPointer(value: unknown, pointer: string): unknown {
  if (pointer === "") return value;
  return pointer
    .slice(1)
    .split("/")
    .map(unescapeSegment)
    .reduce<unknown>((node, key) => (isObject(node) || Array.isArray(node) ? (node as Record<string, unknown>)[key] : undefined), value);
}

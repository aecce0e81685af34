/**
 * The docs show each body's first named example beside the first tab of each union (`oneOf`) in its
 * schema, so the two must be the same variant. A shared union such as PaymentProfile is met by bodies
 * whose first examples differ (the card createPaymentProfile returns, the bank account that
 * readPaymentProfile returns): no one order in spec/ suits them all. The docs' own copy of the bundle
 * gives each such body a copy of the union with its example's variant first. Only the order changes,
 * which means nothing to JSON Schema. Only discriminated unions are reordered: the example's
 * discriminator names its variant, no validator needed; the others keep the order spec/ gives them.
 */

type Schema = {
  $ref?: string;
  title?: string;
  oneOf?: Schema[];
  discriminator?: { propertyName: string; mapping?: Record<string, string> };
  properties?: Record<string, Schema>;
  const?: unknown;
  enum?: unknown[];
};
interface Media {
  schema?: Schema;
  examples?: Record<string, { value?: unknown; $ref?: string }>;
}
interface Document {
  paths: Record<string, Record<string, unknown>>;
}

const methods = ["get", "put", "post", "delete", "patch"] as const;
/** How deep under a body the unions are looked for: the API's wrappers put them one level down. */
const depth = 2;

function pointerValue<T>(document: unknown, ref: string): T {
  return ref
    .slice(2)
    .split("/")
    .reduce<unknown>((node, key) => (node as Record<string, unknown>)[key.replace(/~1/g, "/").replace(/~0/g, "~")], document) as T;
}

function follow<T extends { $ref?: string }>(document: unknown, node: T): T {
  let current = node;
  while (current.$ref) current = pointerValue<T>(document, current.$ref);
  return current;
}

// The same one-liner as @billing-api/conformance's isObject, kept here on purpose: the generators run
// first in every build (the client's types come from them), and depending on the judge for one line
// would put Ajv, Prism's router and a conformance build in front of every \`generate\`.
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** The index of the variant a discriminated union's `value` is, or -1. */
function variantOf(document: unknown, union: Schema, value: unknown): number {
  const { propertyName, mapping } = union.discriminator!;
  if (!isObject(value) || !union.oneOf) return -1;
  const tag = value[propertyName];
  const target = typeof tag === "string" ? mapping?.[tag] : undefined;
  return union.oneOf.findIndex((variant) => {
    if (target !== undefined) return variant.$ref === target;
    const property = follow(document, variant).properties?.[propertyName];
    const resolved = property ? follow(document, property) : undefined;
    return resolved?.const === tag || (resolved?.enum?.length === 1 && resolved.enum[0] === tag);
  });
}

/** `schema` with the unions under it ordered for `value`, or undefined when nothing moves. */
function orderedFor(document: unknown, schema: Schema, value: unknown, levels: number): Schema | undefined {
  const resolved = follow(document, schema);
  if (resolved.oneOf && resolved.discriminator) {
    const index = variantOf(document, resolved, value);
    if (index <= 0) return undefined;
    const oneOf = [resolved.oneOf[index]!, ...resolved.oneOf.filter((_, i) => i !== index)];
    const tag = (value as Record<string, unknown>)[resolved.discriminator.propertyName] as string;
    const mapping = resolved.discriminator.mapping && { [tag]: resolved.discriminator.mapping[tag]!, ...resolved.discriminator.mapping };
    // The copy keeps the component's name, which the page shows beside the variants.
    const title = resolved.title ?? schema.$ref?.split("/").pop();
    return { ...resolved, ...(title ? { title } : {}), oneOf, discriminator: { ...resolved.discriminator, ...(mapping ? { mapping } : {}) } };
  }
  if (levels === 0 || !resolved.properties || !isObject(value)) return undefined;
  let changed: Schema | undefined;
  for (const [name, property] of Object.entries(resolved.properties)) {
    const ordered = orderedFor(document, property, value[name], levels - 1);
    if (!ordered) continue;
    changed ??= { ...resolved, properties: { ...resolved.properties } };
    changed.properties![name] = ordered;
  }
  return changed;
}

/** The document with each body's unions showing its first example's variant first (a copy). */
export function withExampleVariantsFirst<T extends Document>(input: T): T {
  const document = structuredClone(input);
  for (const item of Object.values(document.paths)) {
    for (const method of methods) {
      const operation = item[method] as
        | { requestBody?: { content?: Record<string, Media> }; responses?: Record<string, { content?: Record<string, Media> }> }
        | undefined;
      if (!operation) continue;
      // Shared responses (`$ref`) are left as they are: a change there would reach every operation.
      const bodies = [operation.requestBody, ...Object.values(operation.responses ?? {})]
        .filter((holder) => holder !== undefined && !("$ref" in holder))
        .flatMap((holder) => Object.values(holder!.content ?? {}));
      for (const media of bodies) {
        const first = Object.values(media.examples ?? {})[0];
        if (!media.schema || !first) continue;
        const value = follow(document, first).value;
        const ordered = orderedFor(document, media.schema, value, depth);
        if (ordered) media.schema = ordered;
      }
    }
  }
  return document;
}

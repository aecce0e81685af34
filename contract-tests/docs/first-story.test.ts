import { describe, expect, test } from "vitest";
import { escape, operations, resolve, schemaErrors, type MediaTypeObject } from "../support/spec.js";

// The reference page shows, for each body, its first named example (the request's is also the code
// sample) beside the first tab of each `oneOf` in its schema. They must tell the same story: the
// first example is an instance of the first variant, wherever a union sits in the body (within two
// levels, where the wrappers put them). Otherwise the page shows, say, a bank account sample, a card
// schema and a card response at once. docs-browser.test.ts checks what Chromium shows.

interface Union {
  /** Where the union sits in the body, such as `payment_profile`. */
  path: string[];
  /** JSON pointer of its first variant that is not `{"type": "null"}`. */
  firstVariant: string;
  variants: number;
}

/** The `oneOf`s of a schema, down to `depth` levels of properties, with `$ref`s followed. */
function unions(pointer: string, path: string[] = [], depth = 2): Union[] {
  let at = pointer;
  let schema = resolve<{ $ref?: string; oneOf?: { type?: string }[]; properties?: Record<string, unknown> }>(at);
  while (schema.$ref) {
    at = schema.$ref;
    schema = resolve(at);
  }
  if (schema.oneOf) {
    const variants = schema.oneOf.map((variant, index) => ({ variant, index })).filter(({ variant }) => variant.type !== "null");
    if (variants.length < 2) return [];
    return [{ path, firstVariant: `${at}/oneOf/${variants[0]!.index}`, variants: variants.length }];
  }
  if (depth === 0) return [];
  return Object.keys(schema.properties ?? {}).flatMap((name) => unions(`${at}/properties/${escape(name)}`, [...path, name], depth - 1));
}

const valueAt = (value: unknown, path: string[]) => path.reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], value);

/** Every body the page shows with a union in its schema: the request and the first success response. */
const bodies = operations.flatMap(({ operationId, operation, pointer }) => {
  const success = Object.keys(operation.responses).find((status) => status.startsWith("2"));
  const candidates: [string, string, MediaTypeObject | undefined][] = [
    ["request", `${pointer}/requestBody/content/application~1json`, operation.requestBody?.content["application/json"]],
    ...(success
      ? [[`${success} response`, `${pointer}/responses/${success}/content/application~1json`, operation.responses[success]?.content?.["application/json"]] as [string, string, MediaTypeObject | undefined]]
      : []),
  ];
  return candidates.flatMap(([what, mediaPointer, media]) => {
    const [name, example] = Object.entries(media?.examples ?? {})[0] ?? [];
    if (!media?.schema || !name || !example) return [];
    const value = "$ref" in example ? resolve<{ value: unknown }>(example.$ref as string).value : example.value;
    return unions(`${mediaPointer}/schema`)
      .filter((union) => valueAt(value, union.path) !== undefined && valueAt(value, union.path) !== null)
      .map((union) => ({ where: `${operationId} ${what}, example "${name}", at ${union.path.join(".") || "(root)"}`, union, value: valueAt(value, union.path) }));
  });
});

describe("each body's first example and first schema tab", () => {
  test("the union in createPaymentProfile's request is among those checked", () => {
    expect(bodies.map((body) => body.where)).toContainEqual(expect.stringMatching(/^createPaymentProfile request, .* at payment_profile$/));
  });

  test.each(bodies)("$where is the first variant", ({ union, value }) => {
    expect(schemaErrors(union.firstVariant, value)).toEqual([]);
  });
});

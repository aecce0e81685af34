import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { escape, schemaErrors, type MediaTypeObject, type OperationObject } from "@billing-api/test-support/spec";

// The reference page shows, for each body, its first named example (the request's is also the code
// sample) beside the first tab of each `oneOf` in its schema. They must tell the same story: the
// first example is an instance of the first variant, wherever a union sits in the body (within two
// levels, where the wrappers put them). Otherwise the page shows, say, a bank account sample, a card
// schema and a card response at once. This reads the docs' own bundle (packages/docs/dist), where a
// shared discriminated union is reordered per body; docs-browser.test.ts checks what Chromium shows.
const docs = JSON.parse(readFileSync(join(fileURLToPath(new URL("..", import.meta.url)), "dist/openapi.json"), "utf8")) as {
  paths: Record<string, Record<string, OperationObject>>;
};
const resolve = <T>(pointer: string): T =>
  pointer
    .replace(/^#\//, "")
    .split("/")
    .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], docs) as T;
const operations = Object.entries(docs.paths).flatMap(([path, item]) =>
  Object.entries(item)
    .filter(([method]) => ["get", "put", "post", "delete", "patch"].includes(method))
    .map(([method, operation]) => ({ operationId: operation.operationId, operation, pointer: `#/paths/${escape(path)}/${method}` })),
);

interface Union {
  /** Where the union sits in the body, such as `payment_profile`. */
  path: string[];
  /** Its first variant that is not `{"type": "null"}`: a component, as every union here has them. */
  firstVariant: string;
}

/** The `oneOf`s of a schema, down to `depth` levels of properties, with `$ref`s followed. */
function unions(pointer: string, path: string[] = [], depth = 2): Union[] {
  let at = pointer;
  let schema = resolve<{ $ref?: string; oneOf?: { type?: string; $ref?: string }[]; properties?: Record<string, unknown> }>(at);
  while (schema.$ref) {
    at = schema.$ref;
    schema = resolve(at);
  }
  if (schema.oneOf) {
    const variants = schema.oneOf.filter((variant) => variant.type !== "null");
    if (variants.length < 2) return [];
    // The components are the spec's own, so the spec bundle's validator checks against them.
    return [{ path, firstVariant: variants[0]!.$ref ?? `(an inline schema at ${at}/oneOf)` }];
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
  test("the payment profile unions of createPaymentProfile and readPaymentProfile are among those checked", () => {
    const checked = bodies.map((body) => body.where);
    expect(checked).toContainEqual(expect.stringMatching(/^createPaymentProfile request, .* at payment_profile$/));
    expect(checked).toContainEqual(expect.stringMatching(/^readPaymentProfile 200 response, .* at payment_profile$/));
  });

  test.each(bodies)("$where is the first variant", ({ union, value }) => {
    expect(schemaErrors(union.firstVariant, value)).toEqual([]);
  });
});

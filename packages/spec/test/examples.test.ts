import { describe, expect, test } from "vitest";
import { document, escape, operations, resolve, schemaErrors } from "@billing-api/test-support/spec";

interface ExampleCase {
  where: string;
  schemaPointer: string;
  value: unknown;
}

// Every named example of every request and response body in the bundled document.
const cases: ExampleCase[] = operations.flatMap(({ operationId, operation, pointer }) => {
  const bodies: [string, Record<string, { schema?: unknown; examples?: Record<string, { value: unknown }> }>][] = [
    ...Object.entries(operation.responses).map(
      ([status, response]) => [`responses/${status}`, response.content ?? {}] as [string, typeof response.content & {}],
    ),
    ...(operation.requestBody ? [["requestBody", operation.requestBody.content] as [string, typeof operation.requestBody.content]] : []),
  ];
  return bodies.flatMap(([at, content]) =>
    Object.entries(content).flatMap(([mediaType, media]) =>
      Object.entries(media.examples ?? {}).map(([name, example]) => ({
        where: `${operationId} ${at} ${mediaType} example "${name}"`,
        schemaPointer: `${pointer}/${at}/content/${escape(mediaType)}/schema`,
        // Shared examples are `$ref`s to #/components/examples/...
        value: "$ref" in example ? resolve<{ value: unknown }>(example.$ref as string).value : example.value,
      })),
    ),
  );
});

describe("examples", () => {
  test("every request and response body has at least one named example", () => {
    const missing = operations.flatMap(({ operationId, operation }) => [
      ...Object.entries(operation.responses)
        .filter(([, response]) => Object.values(response.content ?? {}).some((media) => !media.examples))
        .map(([status]) => `${operationId} ${status}`),
      ...Object.values(operation.requestBody?.content ?? {})
        .filter((media) => !media.examples)
        .map(() => `${operationId} requestBody`),
    ]);
    expect(missing).toEqual([]);
  });

  test.each(cases)("$where is valid against its schema", ({ schemaPointer, value }) => {
    expect(schemaErrors(schemaPointer, value)).toEqual([]);
  });
});

// Every parameter example, path-level and operation-level, against the parameter's schema.
const parameterCases = Object.entries(document.components.parameters ?? {}).map(([name, parameter]) => ({
  name,
  pointer: `#/components/parameters/${name}/schema`,
  example: (parameter as { example?: unknown }).example,
}));

describe("parameter examples", () => {
  test("every parameter is a shared component with an example", () => {
    const inline = operations.flatMap(({ operationId, path, operation }) =>
      [...(document.paths[path]?.parameters as unknown[] | undefined ?? []), ...(operation.parameters ?? [])]
        .filter((parameter) => !(parameter as { $ref?: string }).$ref)
        .map(() => operationId),
    );
    expect(inline).toEqual([]);
    expect(parameterCases.filter(({ example }) => example === undefined).map(({ name }) => name)).toEqual([]);
  });

  test.each(parameterCases)("$name example is valid against its schema", ({ pointer, example }) => {
    expect(schemaErrors(pointer, example)).toEqual([]);
  });
});

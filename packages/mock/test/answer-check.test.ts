import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startMock, type MockServer } from "@billing-api/mock";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

// The mock checks every answer before sending it, by the verifier's standard (full JSON Schema
// 2020-12): an example with a key its closed schema does not allow is a 500 that names the key, even
// where the schema is closed through `allOf` (Prism's own response validator merges allOf first and
// lets such a key through).

const schemas = {
  Base: { type: "object", required: ["id"], properties: { id: { type: "integer" } } },
  Customer: { allOf: [{ $ref: "#/components/schemas/Base" }], type: "object", properties: { name: { type: "string" } }, unevaluatedProperties: false },
  CustomerResponse: { type: "object", required: ["customer"], properties: { customer: { $ref: "#/components/schemas/Customer" } } },
};

function documentWith(example: unknown) {
  return {
    openapi: "3.1.0",
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    info: { title: "answer check", version: "1.0.0" },
    components: { schemas },
    paths: {
      "/customers/{id}.json": {
        get: {
          operationId: "readCustomer",
          parameters: [{ name: "id", in: "path", required: true, schema: { type: "integer" } }],
          responses: {
            "200": { description: "The customer.", content: { "application/json": { schema: { $ref: "#/components/schemas/CustomerResponse" }, examples: { only: { value: example } } } } },
            "401": { description: "Bad credentials.", content: { "text/plain": { schema: { type: "string" } } } },
          },
        },
      },
    },
  };
}

const folder = mkdtempSync(join(tmpdir(), "answer-check-"));
let good: MockServer;
let bad: MockServer;
beforeAll(async () => {
  const write = (name: string, example: unknown) => {
    const path = join(folder, name);
    writeFileSync(path, JSON.stringify(documentWith(example)));
    return path;
  };
  good = await startMock({ port: 0, document: write("good.json", { customer: { id: 150, name: "Martha" } }) });
  bad = await startMock({ port: 0, document: write("bad.json", { customer: { id: 150, name: "Martha", nickname: "Patsy" } }) });
});
afterAll(async () => {
  await Promise.all([good?.close(), bad?.close()]);
  rmSync(folder, { recursive: true, force: true });
});

const read = (mock: MockServer) => fetch(`${mock.url}/customers/150.json`, { headers: { authorization: `Basic ${btoa("key:x")}` } });

describe("mock: every answer checked before it is sent", () => {
  test("a valid example is served", async () => {
    const response = await read(good);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ customer: { id: 150, name: "Martha" } });
  });

  test("an unknown key under a schema closed through allOf is a 500 that names it, never sent as an answer", async () => {
    const response = await read(bad);
    expect(response.status).toBe(500);
    const { errors } = (await response.json()) as { errors: string[] };
    expect(errors[0]).toContain("breaks the spec");
    expect(errors[0]).toContain("nickname");
  });
});

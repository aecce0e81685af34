import { ConformanceCheck, SchemaCheck } from "@billing-api/conformance";
import { beforeAll, describe, expect, test } from "vitest";
import { basicToken } from "@billing-api/test-support/traffic";
import { exampleCall } from "@billing-api/test-support/spec";

// The verifier's (and the mock's) body check speaks OpenAPI 3.1 / JSON Schema 2020-12: type
// arrays, const, discriminators, unevaluatedProperties through allOf, formats. Each keyword is
// checked on a small document of its own, one problem reported once.
const document = {
  openapi: "3.1.0",
  jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
  components: {
    schemas: {
      Base: { type: "object", required: ["id"], properties: { id: { type: "integer", format: "int64" } } },
      Card: { allOf: [{ $ref: "#/components/schemas/Base" }], type: "object", required: ["kind", "last4"], properties: { kind: { const: "card" }, last4: { type: "string" } }, unevaluatedProperties: false },
      Bank: { allOf: [{ $ref: "#/components/schemas/Base" }], type: "object", required: ["kind", "iban"], properties: { kind: { const: "bank" }, iban: { type: "string" } }, unevaluatedProperties: false },
      Method: { oneOf: [{ $ref: "#/components/schemas/Card" }, { $ref: "#/components/schemas/Bank" }], discriminator: { propertyName: "kind", mapping: { card: "#/components/schemas/Card", bank: "#/components/schemas/Bank" } } },
      Thing: {
        type: "object",
        properties: {
          note: { type: ["string", "null"] },
          version: { const: 2 },
          email: { type: "string", format: "email" },
          at: { type: "string", format: "date-time" },
          on: { type: "string", format: "date" },
          link: { type: "string", format: "uri" },
          method: { oneOf: [{ $ref: "#/components/schemas/Method" }, { type: "null" }] },
        },
      },
    },
  },
};
const schemas = new SchemaCheck(document);
const problems = (value: unknown) => schemas.check("/components/schemas/Thing", value).map(({ kind, pointer }) => `${kind} ${pointer}`);

describe("JSON Schema 2020-12 in the conformance core", () => {
  test("type arrays: null where the type array allows it, not a number", () => {
    expect(problems({ note: null })).toEqual([]);
    expect(problems({ note: 7 })).toEqual(["wrong-type /note"]);
  });

  test("const", () => {
    expect(problems({ version: 2 })).toEqual([]);
    expect(problems({ version: 3 })).toEqual(["const /version"]);
  });

  test("formats: email, date-time, date, uri, int64", () => {
    expect(problems({ email: "a@example.com", at: "2026-11-21T10:00:00-05:00", on: "2026-11-21", link: "https://example.com/x" })).toEqual([]);
    expect(problems({ email: "nope", at: "yesterday", on: "21/11/2026", link: "not a uri" })).toEqual(["format /email", "format /at", "format /on", "format /link"]);
    expect(problems({ method: { kind: "card", id: 1.5, last4: "4242" } })).toEqual(["wrong-type /method/id"]);
  });

  test("a discriminated union inside a nullable one: judged by the variant its tag names, each problem once", () => {
    expect(problems({ method: null })).toEqual([]);
    expect(problems({ method: { kind: "card", id: 1, last4: "4242" } })).toEqual([]);
    expect(problems({ method: { kind: "card", id: 1 } })).toEqual(["missing-property /method/last4"]);
    expect(problems({ method: { kind: "card", id: "1", last4: "4242" } })).toEqual(["wrong-type /method/id"]);
    expect(problems({ method: { kind: "cash", id: 1 } })).toEqual(["discriminator /method/kind"]);
    // A value no variant's type admits is a wrong type, not "no variant".
    expect(schemas.check("/components/schemas/Thing", { method: "card" })).toMatchObject([{ kind: "wrong-type", pointer: "/method", expected: "object or null" }]);
    // Another variant's properties under this one's tag: one problem, on the tag.
    expect(problems({ method: { kind: "card", id: 1, iban: "DE89370400440532013000" } })).toEqual(["discriminator /method/kind"]);
    expect(schemas.check("/components/schemas/Thing", { method: { kind: "card", id: 1, iban: "DE89" } })[0]).toMatchObject({ expected: '"bank" (the object has that variant\'s properties)', found: '"card"' });
  });

  test("unevaluatedProperties sees the properties of allOf parts, and refuses any other", () => {
    expect(problems({ method: { kind: "bank", id: 1, iban: "DE89" } })).toEqual([]);
    expect(problems({ method: { kind: "bank", id: 1, iban: "DE89", swift: "X" } })).toEqual(["unknown-property /method/swift"]);
  });
});

describe("the bundled document through ConformanceCheck", () => {
  let check: ConformanceCheck;
  beforeAll(async () => {
    check = await ConformanceCheck.load();
  }, 60_000);

  const request = (body: unknown) => {
    const { path } = exampleCall("createPaymentProfile");
    return check.check({
      method: "POST",
      target: path,
      requestHeaders: { authorization: `Basic ${basicToken}`, "content-type": "application/json" },
      requestBody: JSON.stringify(body),
      status: 401,
      responseHeaders: { "content-type": "text/plain; charset=utf-8" },
      responseBody: "HTTP Basic: Access denied.\n",
    });
  };

  test("a request body's unknown key in a closed allOf schema (which Prism's own validator lets through)", () => {
    const body = exampleCall("createPaymentProfile").body as { payment_profile: Record<string, unknown> };
    expect(request(body).violations).toEqual([]);
    const stray = structuredClone(body);
    stray.payment_profile.favourite_colour = "blue";
    expect(request(stray).violations).toMatchObject([{ kind: "unknown-property", part: "request body", pointer: "/payment_profile/favourite_colour", operationId: "createPaymentProfile" }]);
  });

  test("Rails-style include[] is read as the spec's include[] parameter", () => {
    const read = (target: string) =>
      check.check({ method: "GET", target, requestHeaders: {}, status: 401, responseHeaders: { "content-type": "text/plain" }, responseBody: "HTTP Basic: Access denied.\n" });
    expect(read("/subscriptions/222.json?include[]=coupons").violations).toEqual([]);
    expect(read("/subscriptions/222.json?include%5B%5D=coupons&include%5B%5D=self_service_page_token").violations).toEqual([]);
    expect(read("/subscriptions/222.json?include[]=invoices").violations).toMatchObject([{ kind: "parameter", part: "request query" }]);
  });
});

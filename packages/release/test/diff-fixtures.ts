/**
 * A small OpenAPI 3.1 document and one small change per kind of breaking (and non-breaking) change,
 * for the breaking-change gate's tests. Each change is a function of a fresh copy of the base, so a
 * reader sees exactly what changed.
 */

// Loosely typed on purpose: the fixtures reach into the document by its JSON structure.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Doc = any;

const errors = {
  description: "Refused.",
  content: { "application/json": { schema: { $ref: "#/components/schemas/ErrorList" } } },
};

export function baseDocument(): Doc {
  return {
    openapi: "3.1.0",
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    info: { title: "Fixture", version: "1.0.0" },
    paths: {
      "/customers.json": {
        post: {
          operationId: "createCustomer",
          parameters: [{ name: "auto_invite", in: "query", schema: { type: "integer", enum: [0, 1] } }],
          requestBody: {
            required: true,
            content: { "application/json": { schema: { $ref: "#/components/schemas/CreateCustomerRequest" } } },
          },
          responses: {
            "201": { description: "Created.", content: { "application/json": { schema: { $ref: "#/components/schemas/CustomerResponse" } } } },
            "422": errors,
          },
        },
      },
      "/customers/{id}.json": {
        parameters: [{ name: "id", in: "path", required: true, schema: { type: "integer" } }],
        get: {
          operationId: "readCustomer",
          responses: {
            "200": { description: "The customer.", content: { "application/json": { schema: { $ref: "#/components/schemas/CustomerResponse" } } } },
            "404": errors,
          },
        },
        delete: {
          operationId: "deleteCustomer",
          responses: { "204": { description: "Deleted." }, "404": errors },
        },
      },
    },
    components: {
      schemas: {
        CreateCustomerRequest: {
          type: "object",
          required: ["customer"],
          properties: {
            customer: {
              type: "object",
              required: ["first_name"],
              properties: {
                first_name: { type: "string" },
                email: { type: "string" },
                reference: { type: ["string", "integer"] },
                locale: { type: "string", enum: ["en", "fr", "de"] },
              },
            },
          },
        },
        CustomerResponse: {
          type: "object",
          required: ["customer"],
          properties: { customer: { $ref: "#/components/schemas/Customer" } },
        },
        Customer: {
          type: "object",
          required: ["id", "first_name", "email", "kind"],
          properties: {
            id: { type: "integer" },
            first_name: { type: "string" },
            email: { type: "string" },
            kind: { const: "customer" },
            organization: { type: ["string", "null"] },
          },
        },
        ErrorList: {
          type: "object",
          required: ["errors"],
          properties: { errors: { type: "array", items: { type: "string" } } },
        },
      },
    },
  };
}

const customer = (doc: Doc) => doc.components.schemas.Customer;
const customerRequest = (doc: Doc) => doc.components.schemas.CreateCustomerRequest.properties.customer;

/** Changes a consumer's code can break on: the gate must rate each `major`. */
export const breakingChanges: Record<string, (doc: Doc) => void> = {
  "operation removed": (doc) => delete doc.paths["/customers/{id}.json"].delete,
  "path removed": (doc) => delete doc.paths["/customers/{id}.json"],
  "response property removed": (doc) => {
    delete customer(doc).properties.email;
    customer(doc).required = customer(doc).required.filter((name: string) => name !== "email");
  },
  "response property made optional": (doc) => (customer(doc).required = customer(doc).required.filter((name: string) => name !== "email")),
  "response property made nullable (type array widened)": (doc) => (customer(doc).properties.email.type = ["string", "null"]),
  "response const changed": (doc) => (customer(doc).properties.kind.const = "person"),
  "request property made required": (doc) => customerRequest(doc).required.push("email"),
  "request enum value removed": (doc) => (customerRequest(doc).properties.locale.enum = ["en", "fr"]),
  "query parameter enum value removed": (doc) => (doc.paths["/customers.json"].post.parameters[0].schema.enum = [1]),
  "request type narrowed": (doc) => (customerRequest(doc).properties.reference.type = "string"),
  "response status removed": (doc) => delete doc.paths["/customers/{id}.json"].get.responses["404"],
  "request schema closed (additionalProperties: false)": (doc) => (customerRequest(doc).additionalProperties = false),
  "request schema closed (unevaluatedProperties: false)": (doc) => (customerRequest(doc).unevaluatedProperties = false),
  "required query parameter added": (doc) =>
    doc.paths["/customers.json"].post.parameters.push({ name: "site", in: "query", required: true, schema: { type: "string" } }),
};

/** Additions a consumer's code keeps working through: the gate must not rate them `major`. */
export const compatibleChanges: Record<string, (doc: Doc) => void> = {
  "operation added": (doc) =>
    (doc.paths["/customers/{id}.json"].put = {
      operationId: "updateCustomer",
      requestBody: { content: { "application/json": { schema: { $ref: "#/components/schemas/CreateCustomerRequest" } } } },
      responses: { "200": doc.paths["/customers/{id}.json"].get.responses["200"], "404": errors },
    }),
  "optional request property added": (doc) => (customerRequest(doc).properties.phone = { type: "string" }),
  "request enum value added": (doc) => customerRequest(doc).properties.locale.enum.push("es"),
  "request type widened": (doc) => (customerRequest(doc).properties.email.type = ["string", "null"]),
  "optional query parameter added": (doc) => doc.paths["/customers.json"].post.parameters.push({ name: "page", in: "query", schema: { type: "integer" } }),
  "description changed": (doc) => (doc.paths["/customers/{id}.json"].get.description = "Reads one customer by id."),
};

/** The components a `$ref` can name: each fixture's are renamed into its own namespace. */
const componentSections = ["schemas", "parameters", "responses", "requestBodies", "headers", "examples"];

/**
 * The document with every path, component and operationId moved into fixture `index`'s namespace
 * (`/fixture3/customers.json`, `Fixture3Customer`, `readCustomerFixture3`), its `$ref`s following:
 * many fixtures side by side in one document are rated by one `redocly diff`, each change at a
 * location that names its fixture (fixtureOf).
 */
export function namespaced(doc: Doc, index: number): Doc {
  const prefix = `Fixture${index}`;
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (typeof node !== "object" || node === null) return node;
    return Object.fromEntries(
      Object.entries(node).map(([key, value]) => {
        if (key === "$ref" && typeof value === "string") return [key, value.replace(/^#\/components\/(\w+)\//, `#/components/$1/${prefix}`)];
        if (key === "operationId" && typeof value === "string") return [key, `${value}${prefix}`];
        return [key, walk(value)];
      }),
    );
  };
  const components = Object.fromEntries(
    Object.entries(doc.components ?? {}).map(([section, entries]) => [
      section,
      componentSections.includes(section) ? Object.fromEntries(Object.entries(entries as object).map(([name, value]) => [`${prefix}${name}`, walk(value)])) : entries,
    ]),
  );
  const paths = Object.fromEntries(Object.entries(doc.paths ?? {}).map(([path, item]) => [`/${prefix.toLowerCase()}${path}`, walk(item)]));
  return { ...doc, paths, components };
}

/** Documents side by side: the first one's top level, every one's paths and components. */
export function combined(docs: Doc[]): Doc {
  const components: Record<string, object> = {};
  for (const doc of docs) for (const [section, entries] of Object.entries(doc.components ?? {})) components[section] = { ...components[section], ...(entries as object) };
  return { ...docs[0], paths: Object.assign({}, ...docs.map((doc) => doc.paths)), components };
}

/** The fixture a change's location names (`DELETE /fixture3/customers/{id}.json`, `components/schemas/Fixture3Customer/required`). */
export function fixtureOf(where: string): number | undefined {
  const found = /(?:^|[\s/])fixture(\d+)\/|\/Fixture(\d+)[A-Z]/.exec(where);
  return found ? Number(found[1] ?? found[2]) : undefined;
}

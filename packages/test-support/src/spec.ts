import { readFileSync } from "node:fs";
import { openapiJsonPath } from "@billing-api/spec";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

// @billing-api/spec is not a dependency of this package (the spec's own tests use it): every package
// whose tests import this module depends on the spec itself, so its bundle is built first.

/** The bundled document: the one artifact the client, the mock and the docs are built from. */
export const document = JSON.parse(readFileSync(openapiJsonPath, "utf8")) as OpenApiDocument;

export interface OpenApiDocument {
  paths: Record<string, Record<string, OperationObject | unknown>>;
  components: Record<string, Record<string, unknown>>;
  servers: { url: string; variables?: Record<string, { enum?: string[]; default: string }> }[];
  [key: string]: unknown;
}

export interface OperationObject {
  operationId: string;
  responses: Record<string, { content?: Record<string, MediaTypeObject> }>;
  requestBody?: { content: Record<string, MediaTypeObject> };
  parameters?: unknown[];
}

export interface MediaTypeObject {
  schema?: unknown;
  examples?: Record<string, { value: unknown; summary?: string }>;
}

export interface OperationEntry {
  operationId: string;
  method: string;
  path: string;
  operation: OperationObject;
  /** JSON pointer of the operation in the bundled document. */
  pointer: string;
}

const methods = new Set(["get", "put", "post", "delete", "patch", "head", "options", "trace"]);
/** Escapes one JSON pointer segment (`/` and `~`). */
export const escape = (segment: string) => segment.replace(/~/g, "~0").replace(/\//g, "~1");

/** Every operation of the bundled document. */
export const operations: OperationEntry[] = Object.entries(document.paths).flatMap(([path, item]) =>
  Object.entries(item)
    .filter(([method]) => methods.has(method))
    .map(([method, operation]) => ({
      operationId: (operation as OperationObject).operationId,
      method,
      path,
      operation: operation as OperationObject,
      pointer: `#/paths/${escape(path)}/${method}`,
    })),
);

export function operation(operationId: string): OperationEntry {
  const found = operations.find((entry) => entry.operationId === operationId);
  if (!found) throw new Error(`No operation ${operationId} in the bundled document.`);
  return found;
}

/** The documented statuses of an operation, as numbers. */
export function documentedStatuses(operationId: string): number[] {
  return Object.keys(operation(operationId).operation.responses).map(Number);
}

// The tests' own schema check, kept apart from the judge's (SchemaCheck in @billing-api/conformance)
// on purpose: the mock refuses requests and checks its own answers with SchemaCheck, and the contract
// tests and the fuzzer's oracle judge those answers with this one, so a fault in the judge cannot pass
// its own test. It is stricter where only the spec's author is at fault (strict mode: a misspelt
// JSON Schema keyword in the spec fails here), and reads the same formats as the judge: ajv-formats
// and int64/int32 as integers (int64 by Number.isInteger, as SchemaCheck: a JSON number beyond 2^53
// is still an integer on the wire; int32 within 31 bits).
// Ajv reads the whole bundled document as one schema resource, so `#/components/...` refs resolve
// exactly as they do for Prism and openapi-typescript. The OpenAPI-only keys are declared as
// vocabulary (annotations) so that strict mode still rejects a misspelt JSON Schema keyword.
const ajv = new Ajv2020({ strict: true, allErrors: true, strictRequired: false, allowUnionTypes: true });
addFormats.default(ajv);
ajv.addFormat("int64", { type: "number", validate: (n: number) => Number.isInteger(n) });
ajv.addFormat("int32", { type: "number", validate: (n: number) => Number.isInteger(n) && Math.abs(n) < 2 ** 31 });
ajv.addVocabulary([
  "openapi",
  "info",
  "servers",
  "paths",
  "components",
  "tags",
  "security",
  "jsonSchemaDialect",
  "webhooks",
  "externalDocs",
  "example",
  "discriminator",
  "xml",
  "x-tagGroups",
]);
const documentId = "https://billing-api.invalid/openapi.json";
ajv.addSchema({ ...document, $id: documentId });

const validators = new Map<string, ReturnType<typeof ajv.compile>>();

/** A validator for the schema at a JSON pointer of the bundled document (`#/paths/...`). */
export function validatorAt(pointer: string) {
  let validate = validators.get(pointer);
  if (!validate) {
    validate = ajv.compile({ $ref: `${documentId}${pointer}` });
    validators.set(pointer, validate);
  }
  return validate;
}

/** Validates `value` against the schema at `pointer`; returns Ajv's messages, empty when valid. */
export function schemaErrors(pointer: string, value: unknown): string[] {
  const validate = validatorAt(pointer);
  if (validate(value)) return [];
  return (validate.errors ?? []).map((error) => `${error.instancePath || "(root)"} ${error.message}`);
}

/** The value at a local JSON pointer (`#/components/...`) of the bundled document. */
export function resolve<T>(pointer: string): T {
  return pointer
    .replace(/^#\//, "")
    .split("/")
    .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], document) as T;
}

/** The response object an operation documents for a status, with a shared `$ref` followed. */
function documentedResponse(operationId: string, status: number) {
  const entry = operation(operationId);
  const declared = entry.operation.responses[String(status)];
  if (!declared) throw new Error(`${operationId} documents no ${status} response.`);
  const ref = (declared as { $ref?: string }).$ref;
  return {
    pointer: ref ?? `${entry.pointer}/responses/${status}`,
    response: ref ? resolve<typeof declared>(ref) : declared,
  };
}

/** Whether the documented response for a status has a body at all (204s and some 201s do not). */
export function documentsBody(operationId: string, status: number): boolean {
  return Object.keys(documentedResponse(operationId, status).response.content ?? {}).length > 0;
}

/** Pointer of the schema of one documented response body. */
export function responseSchemaPointer(operationId: string, status: number, mediaType: string): string {
  // Shared responses (401, 404) are `$ref`s to #/components/responses/...; documentedResponse follows them.
  const { pointer, response } = documentedResponse(operationId, status);
  if (!response.content?.[mediaType]) {
    throw new Error(`${operationId} documents no ${mediaType} body for ${status}.`);
  }
  return `${pointer}/content/${escape(mediaType)}/schema`;
}

/** Shared responses every operation answers the same way (bad credentials, an unknown id, a query value or body the API cannot read); a table-driven sweep covers them. */
export const routineResponses = [
  "#/components/responses/Unauthorized",
  "#/components/responses/NotFound",
  "#/components/responses/InvalidQuery",
  "#/components/responses/MalformedBody",
];

/** Every operation and status whose response is one of the routine shared responses. */
export function routineCases(): { operationId: string; status: number }[] {
  return operations.flatMap(({ operationId, operation }) =>
    Object.entries(operation.responses)
      .filter(([, response]) => routineResponses.includes((response as { $ref?: string }).$ref ?? ""))
      .map(([status]) => ({ operationId, status: Number(status) })),
  );
}

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  example?: unknown;
}

/**
 * The call an operation's examples describe: path and required query parameters by their example,
 * the first named request body, and all of it as the one argument of the operation's named method.
 */
export function exampleCall(operationId: string) {
  const { method, path, operation: op } = operation(operationId);
  const item = resolve<{ parameters?: { $ref?: string }[] }>(`#/paths/${escape(path)}`);
  const parameters = [...(item.parameters ?? []), ...((op.parameters ?? []) as { $ref?: string }[])].map((p) =>
    p.$ref ? resolve<Parameter>(p.$ref) : (p as unknown as Parameter),
  );
  const pick = (where: string) =>
    Object.fromEntries(parameters.filter((p) => p.in === where && (where === "path" || p.required)).map((p) => [p.name, p.example]));
  const examples = op.requestBody?.content["application/json"]?.examples;
  const first = examples ? Object.values(examples)[0] : undefined;
  const body = first && ("value" in first ? first.value : resolve<{ value: unknown }>((first as unknown as { $ref: string }).$ref).value);
  const params = { path: pick("path"), query: pick("query") };
  return { method: method.toUpperCase(), path, params, body, args: { ...params.path, ...params.query, ...(body === undefined ? {} : { body }) } };
}

import { JSONSchemaFaker } from "json-schema-faker";
import { describe, expect, inject, test } from "vitest";
import { judge, router } from "./oracle.js";
import { httpRequest } from "@billing-api/test-support/http";
import { seededPicker } from "@billing-api/test-support/random";
import { namespace } from "@billing-api/test-support/stateful";
import { escape, exampleCall, operations, resolve, schemaErrors, type OperationEntry } from "@billing-api/test-support/spec";

// The oracle an independent API fuzzer applies, over thousands of seeded requests on every operation:
// whatever the mock answers is something the operation documents (a documented status, a body valid
// against the schema for it), except the transport-level refusals no operation owns (an unroutable
// path, a wrong method, an oversized request). And the other way round: requests generated from the
// schemas themselves, every variant of every union, are never refused.

const auth = `Basic ${btoa("test-api-key:x")}`;

const { rand, pick } = seededPicker(20261202);

interface Sent {
  method: string;
  path: string;
  body?: string;
  contentType?: string;
}

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: unknown;
  example?: unknown;
}

function parametersOf({ path, operation }: OperationEntry): Parameter[] {
  const item = resolve<{ parameters?: { $ref?: string }[] }>(`#/paths/${escape(path)}`);
  return [...(item.parameters ?? []), ...((operation.parameters ?? []) as { $ref?: string }[])].map((p) =>
    p.$ref ? resolve<Parameter>(p.$ref) : (p as unknown as Parameter),
  );
}

/** The operation's documented example request, as raw parts to mutate. */
function baseline(entry: OperationEntry) {
  const { params, body } = exampleCall(entry.operationId);
  const path = entry.path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(String(params.path[name])));
  const query = Object.entries(params.query).map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`);
  return { path, query, body };
}

const withQuery = (path: string, query: string[]) => (query.length > 0 ? `${path}?${query.join("&")}` : path);

/** Sends to the stateless mock, or to a namespace of the stateful one. */
async function send(sent: Sent, statefulNamespace?: string) {
  const headers: Record<string, string> = { authorization: auth, ...(statefulNamespace ? { "mock-namespace": statefulNamespace } : {}) };
  if (sent.body !== undefined) headers["content-type"] = sent.contentType ?? "application/json";
  const base = inject(statefulNamespace ? "statefulMockUrl" : "mockUrl");
  const { status, headers: answered, text } = await httpRequest(`${base}${sent.path}`, { method: sent.method, headers, body: sent.body });
  return { status, type: String(answered["content-type"] ?? ""), text };
}

/** The fuzzer's oracle on the mock's answer to `sent`; empty when the answer is documented. */
async function oracle(sent: Sent): Promise<string[]> {
  return judge(sent, await send(sent));
}

// ---- Negative cases: the documented example, broken one way at a time ----

const junkValues = ["0", "-1", "", "abc", "9".repeat(25), "1.5", "not-a-value", "2026-13-45", "true", "%00", "[]", "null"];

function queryMutations(entry: OperationEntry): Sent[] {
  const { path, query, body } = baseline(entry);
  const sent = (extra: string) => ({ method: entry.method.toUpperCase(), path: withQuery(path, [...query, extra]), ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return parametersOf(entry)
    .filter((p) => p.in === "query")
    .flatMap((p) => junkValues.map((value) => sent(`${encodeURIComponent(p.name)}=${encodeURIComponent(value)}`)));
}

function pathMutations(entry: OperationEntry): Sent[] {
  const { params, body } = exampleCall(entry.operationId);
  return parametersOf(entry)
    .filter((p) => p.in === "path")
    .flatMap((p) =>
      ["0", "-1", "abc", "9".repeat(25), "1.5", " ", "signup", "lookup"].map((junk) => ({
        method: entry.method.toUpperCase(),
        path: entry.path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(name === p.name ? junk : String(params.path[name]))),
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      })),
    );
}

/** Every place in a JSON value, as paths of keys and indexes. */
function places(value: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return [at, ...value.flatMap((item, index) => places(item, [...at, index]))];
  if (typeof value === "object" && value !== null) return [at, ...Object.entries(value).flatMap(([key, item]) => places(item, [...at, key]))];
  return [at];
}

function mutate(body: unknown, at: (string | number)[], change: (value: unknown) => unknown): unknown {
  if (at.length === 0) return change(body);
  const copy = (Array.isArray(body) ? [...body] : { ...(body as object) }) as Record<string | number, unknown>;
  const [head, ...rest] = at;
  if (rest.length === 0 && change === remove) delete copy[head!];
  else copy[head!] = mutate(copy[head!], rest, change);
  return copy;
}
const remove = () => undefined;
const wrongType = (value: unknown): unknown =>
  typeof value === "number" ? "twelve" : typeof value === "string" ? 12345 : typeof value === "boolean" ? "maybe" : Array.isArray(value) ? { not: "a list" } : value === null ? {} : [value];
const changes: [string, (value: unknown) => unknown][] = [
  ["removed", remove],
  ["null", () => null],
  ["wrong type", wrongType],
  ["unknown key", (value) => (typeof value === "object" && value !== null && !Array.isArray(value) ? { ...value, zz_unknown: 1 } : value)],
  ["beyond 64 bits", () => 1e30],
  ["empty string", () => ""],
];

function bodyMutations(entry: OperationEntry): Sent[] {
  const { path, query, body } = baseline(entry);
  if (!entry.operation.requestBody || body === undefined) return [];
  const target = withQuery(path, query);
  const method = entry.method.toUpperCase();
  const spots = places(body);
  const mutated = Array.from({ length: 30 }, () => {
    const [, change] = pick(changes);
    return { method, path: target, body: JSON.stringify(mutate(body, pick(spots), change) ?? null) };
  });
  const whole = ["true", "null", "[]", '"x"', "0", "{}", "{", "nul", '{"a":1}garbage'].map((text) => ({ method, path: target, body: text }));
  const media = ["text/plain", "application/x-www-form-urlencoded", ";;"].map((contentType) => ({ method, path: target, body: JSON.stringify(body), contentType }));
  return [...mutated, ...whole, ...media];
}

const negative = operations.flatMap((entry) => [...queryMutations(entry), ...pathMutations(entry), ...bodyMutations(entry)]);

// ---- Positive cases: generated from the schemas, every variant of every union ----

/** A schema with every `$ref` of the bundled document replaced by its target (none is recursive). */
function dereference(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(dereference);
  if (typeof node !== "object" || node === null) return node;
  const ref = (node as { $ref?: string }).$ref;
  if (ref) return dereference(resolve(ref));
  return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, key === "discriminator" || key === "examples" ? value : dereference(value)]));
}

/** Copies of `schema`, each choosing one branch of one `oneOf`/`anyOf`, so every branch is generated. */
function variants(schema: unknown): unknown[] {
  const found: unknown[] = [schema];
  const walk = (node: unknown, replace: (next: unknown) => unknown) => {
    if (typeof node !== "object" || node === null) return;
    if (Array.isArray(node)) return node.forEach((item, index) => walk(item, (next) => replace(node.map((old, i) => (i === index ? next : old)))));
    for (const keyword of ["oneOf", "anyOf"] as const) {
      const branches = (node as Record<string, unknown[]>)[keyword];
      if (Array.isArray(branches) && branches.length > 1) {
        for (const branch of branches) found.push(replace({ ...node, [keyword]: [branch] }));
      }
    }
    for (const [key, value] of Object.entries(node)) {
      if (key !== "not") walk(value, (next) => replace({ ...node, [key]: next }));
    }
  };
  walk(schema, (next) => next);
  return found;
}

const requiredOnly = (branch: unknown) =>
  typeof branch === "object" && branch !== null && Object.keys(branch).every((key) => key === "required" || key === "description");

/**
 * json-schema-faker generates only what `required` lists; "one of these properties" rules stated as
 * `anyOf`/`oneOf` of required lists (inside `allOf` too) never make it generate any of them. Here
 * each such rule picks one of its lists (at random, seeded) into the node's own `required`.
 */
function settleRequiredChoices(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(settleRequiredChoices);
  if (typeof node !== "object" || node === null) return node;
  // `contains` makes json-schema-faker fill the array with that one item shape instead of `items`.
  const copy = Object.fromEntries(
    Object.entries(node)
      .filter(([key]) => key !== "contains" && key !== "maxContains")
      .map(([key, value]) => [key, key === "not" ? value : settleRequiredChoices(value)]),
  ) as Record<string, unknown>;
  const choices = [copy, ...((copy.allOf as Record<string, unknown>[] | undefined) ?? [])].flatMap((part) =>
    (["anyOf", "oneOf"] as const).flatMap((keyword) => {
      const branches = part[keyword];
      return Array.isArray(branches) && branches.length > 0 && branches.every(requiredOnly) ? [branches as { required: string[] }[]] : [];
    }),
  );
  if (choices.length === 0) return copy;
  return { ...copy, required: [...new Set([...((copy.required as string[] | undefined) ?? []), ...choices.flatMap((branches) => pick(branches).required)])] };
}

JSONSchemaFaker.option({ random: rand, useExamplesValue: true, fillProperties: false, optionalsProbability: 0.5, alwaysFakeOptionals: false, maxItems: 2 });

interface Positive {
  operationId: string;
  variant: number;
  sent: Sent;
}

function generatedBodies(entry: OperationEntry): Positive[] {
  const schemaPointer = `${entry.pointer}/requestBody/content/application~1json/schema`;
  if (!entry.operation.requestBody) return [];
  const { path, query } = baseline(entry);
  return variants(dereference(resolve(schemaPointer))).flatMap((variant, index) => {
    for (let attempt = 0; attempt < 40; attempt++) {
      let body: unknown;
      try {
        body = JSONSchemaFaker.generate(settleRequiredChoices(variant) as never);
      } catch {
        continue;
      }
      // Only bodies our own schema accepts: a union branch that the rest of the schema rules out
      // (`not`, `if`/`then`) generates nothing here, and the test counts what it did generate.
      if (schemaErrors(schemaPointer, body).length > 0) continue;
      return [{ operationId: entry.operationId, variant: index, sent: { method: entry.method.toUpperCase(), path: withQuery(path, query), body: JSON.stringify(body) } }];
    }
    return [];
  });
}

function generatedQueries(entry: OperationEntry): Positive[] {
  const { path, query, body } = baseline(entry);
  return parametersOf(entry)
    .filter((p) => p.in === "query" && !p.required && p.schema)
    .flatMap((p, index) => {
      const schema = dereference(p.schema);
      for (let attempt = 0; attempt < 8; attempt++) {
        const value = JSONSchemaFaker.generate(schema as never);
        const texts = Array.isArray(value) ? value.map(String) : typeof value === "object" && value !== null ? undefined : [String(value)];
        if (!texts || texts.length === 0 || texts.some((text) => text === "")) continue;
        if (schemaErrors(`#/components/parameters/${parameterName(p)}/schema`, Array.isArray(value) ? value : value).length > 0) continue;
        const pairs = texts.map((text) => `${encodeURIComponent(p.name)}=${encodeURIComponent(text)}`);
        return [{ operationId: entry.operationId, variant: index, sent: { method: entry.method.toUpperCase(), path: withQuery(path, [...query, ...pairs]), ...(body === undefined ? {} : { body: JSON.stringify(body) }) } }];
      }
      return [];
    });
}

const parameterNames = new Map(Object.entries((resolve<Record<string, Parameter>>("#/components/parameters"))).map(([name, parameter]) => [parameter, name]));
const parameterName = (parameter: Parameter) => parameterNames.get(parameter)!;

const positive = operations.flatMap((entry) => [...generatedBodies(entry), ...generatedQueries(entry)]);

describe("mock: the fuzzer's oracle (seeded)", () => {
  test("thousands of broken requests, on every operation", () => {
    expect(negative.length).toBeGreaterThan(2000);
    const covered = new Set(negative.map((sent) => router.route(sent.method, sent.path.split("?")[0]!)).flatMap((r) => (r.kind === "matched" ? [r.operation.operationId] : [])));
    // An operation that takes no parameter and no body (listEndpoints) has nothing to break but its credentials (spec/routine-statuses.test.ts).
    const takesInput = (entry: OperationEntry) => entry.operation.requestBody !== undefined || (entry.operation as { parameters?: unknown[] }).parameters?.length || Boolean(resolve<{ parameters?: unknown[] }>(`#/paths/${escape(entry.path)}`).parameters?.length);
    expect([...covered].sort()).toEqual(operations.filter(takesInput).map((o) => o.operationId).sort());
  });

  test("every answer to a broken request is a documented status with a body valid against its schema", { timeout: 300_000 }, async () => {
    const problems: string[] = [];
    for (const sent of negative) problems.push(...(await oracle(sent)));
    expect(problems.slice(0, 15), `${problems.length} of ${negative.length} answers break the spec`).toEqual([]);
  });

  test("a body is generated from the schema for every operation that takes one", () => {
    const withBody = operations.filter((o) => o.operation.requestBody).map((o) => o.operationId);
    const generated = new Set(positive.filter((p) => p.sent.body !== undefined).map((p) => p.operationId));
    expect(withBody.filter((id) => !generated.has(id))).toEqual([]);
    expect(positive.length).toBeGreaterThan(150);
  });

  test("every request generated from the schemas is accepted, with a documented success", { timeout: 300_000 }, async () => {
    const refused: string[] = [];
    for (const { operationId, variant, sent } of positive) {
      const answer = await send(sent);
      if (answer.status >= 300) refused.push(`${operationId} variant ${variant}: ${sent.method} ${sent.path} ${sent.body ?? ""} -> ${answer.status} ${answer.text}`);
      else refused.push(...(await oracle(sent)));
    }
    expect(refused.slice(0, 10), `${refused.length} of ${positive.length} valid requests refused`).toEqual([]);
  });
});

// The stateful mock under the same oracle, all cases in one namespace: it keeps what they create and
// change, so a valid request may meet a documented refusal (a taken reference, a canceled
// subscription), never an undocumented answer or a 5xx.
describe("stateful mock: the fuzzer's oracle (seeded)", () => {
  test("every answer to a broken or a generated request is a documented status with a valid body", { timeout: 240_000 }, async () => {
    const fuzzed = namespace("fuzz");
    const problems: string[] = [];
    for (const sent of [...positive.map((p) => p.sent), ...negative]) problems.push(...judge(sent, await send(sent, fuzzed)));
    expect(problems.slice(0, 10), `${problems.length} of ${positive.length + negative.length} answers break the spec`).toEqual([]);
  });
});

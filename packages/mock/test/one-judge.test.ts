import { ConformanceCheck, type ConformanceViolation } from "@billing-api/conformance";
import { beforeAll, describe, expect, inject, test } from "vitest";
import { httpRequest } from "@billing-api/test-support/http";
import { seededPicker } from "@billing-api/test-support/random";
import { exampleCall, operations, resolve } from "@billing-api/test-support/spec";

// One judge: the mock refuses a request with what billing-verify finds in it. Every documented
// request example is broken once at a seeded place (a stray key, a string for a number, a number for
// a string, a value no list or pattern allows) and sent to the shared mock and to ConformanceCheck:
// both must name the same fields, one message each; and nearly every case must get exactly one
// message, naming the field that was broken.

const auth = `Basic ${btoa("test-api-key:x")}`;
const { pick } = seededPicker(20261206);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Mutation = "stray key" | "string for a number" | "number for a string" | "unknown value";

interface Case {
  operationId: string;
  example: string;
  mutation: Mutation;
  method: string;
  target: string;
  body: string;
  /** The field broken: the body's keys down to it. */
  field: string[];
}

/** Every place in a value: its keys, and the value there. */
function places(value: Json, at: string[] = []): { at: string[]; value: Json }[] {
  const here = [{ at, value }];
  if (Array.isArray(value)) return [...here, ...value.flatMap((item, index) => places(item, [...at, String(index)]))];
  if (value !== null && typeof value === "object") return [...here, ...Object.entries(value).flatMap(([key, item]) => places(item, [...at, key]))];
  return here;
}

function setAt(root: Json, at: string[], replacement: Json): Json {
  if (at.length === 0) return replacement;
  const copy = structuredClone(root) as Record<string, Json>;
  const parent = at.slice(0, -1).reduce<Json>((node, key) => (node as Record<string, Json>)[key]!, copy) as Record<string, Json>;
  parent[at[at.length - 1]!] = replacement;
  return copy;
}

function mutate(body: Json, mutation: Mutation): { body: Json; field: string[] } | undefined {
  const all = places(body);
  const isObject = (value: Json) => value !== null && typeof value === "object" && !Array.isArray(value);
  if (mutation === "stray key") {
    const objects = all.filter((place) => isObject(place.value));
    if (objects.length === 0) return undefined;
    const { at, value } = pick(objects);
    return { body: setAt(body, at, { ...(value as Record<string, Json>), favourite_colour: "blue" }), field: [...at, "favourite_colour"] };
  }
  const wanted = mutation === "string for a number" ? "number" : "string";
  const leaves = all.filter((place) => typeof place.value === wanted && place.at.length > 0);
  if (leaves.length === 0) return undefined;
  const { at } = pick(leaves);
  const replacement: Json = mutation === "string for a number" ? "abc" : mutation === "number for a string" ? 12345.5 : "zz-not-a-value";
  return { body: setAt(body, at, replacement), field: at };
}

function requestExamples(): { operationId: string; example: string; method: string; target: string; body: Json }[] {
  return operations.flatMap((entry) => {
    const examples = entry.operation.requestBody?.content["application/json"]?.examples ?? {};
    const { params } = exampleCall(entry.operationId);
    const path = entry.path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(String(params.path[name])));
    const query = Object.entries(params.query).map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`);
    const target = query.length > 0 ? `${path}?${query.join("&")}` : path;
    return Object.entries(examples).map(([example, object]) => ({
      operationId: entry.operationId,
      example,
      method: entry.method.toUpperCase(),
      target,
      body: ("value" in object ? object.value : resolve<{ value: unknown }>((object as unknown as { $ref: string }).$ref).value) as Json,
    }));
  });
}

const mutations: Mutation[] = ["stray key", "string for a number", "number for a string", "unknown value"];
const examples = requestExamples();
const candidates: Case[] = examples.flatMap((example) =>
  mutations.flatMap((mutation) =>
    // Two seeded places per kind of defect.
    [0, 1].flatMap(() => {
      const broken = mutate(example.body, mutation);
      return broken ? [{ ...example, mutation, body: JSON.stringify(broken.body), field: broken.field }] : [];
    }),
  ),
);


/** The messages of a refusal, whatever its shape (list, map, nested, text, keyed). */
function messagesOf(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(messagesOf);
  if (value !== null && typeof value === "object") return Object.values(value).flatMap(messagesOf);
  return [];
}

/** Whether a message names a field: its dotted path, or its parent's (or the body) and its key. */
function names(message: string, field: string[]): boolean {
  if (field.length === 0) return /\bbody\b/i.test(message);
  if (message.includes(field.join("."))) return true;
  const parent = field.slice(0, -1).join(".");
  const key = field[field.length - 1]!;
  const word = new RegExp(`(^|[^\\w\\]])${key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}($|[^\\w\\[])`);
  return (parent === "" ? /^(Request body|body:)/.test(message) : message.includes(parent)) && word.test(message);
}

const fieldOf = (violation: ConformanceViolation) => (violation.pointer === "" ? [] : violation.pointer.slice(1).split("/").map((segment) => segment.replace(/~1/g, "/").replace(/~0/g, "~")));

describe("one judge: the mock's refusals are billing-verify's findings", () => {
  let check: ConformanceCheck;
  beforeAll(async () => {
    check = await ConformanceCheck.load();
  }, 60_000);

  test("a few hundred seeded single-defect requests, from every request example", { timeout: 300_000 }, async () => {
    // Every example with something inside to break (not `{}` or `true`).
    const breakable = examples.filter((example) => places(example.body).length > 1 || (example.body !== null && typeof example.body === "object" && !Array.isArray(example.body)));
    expect(new Set(candidates.map((c) => `${c.operationId} ${c.example}`)).size).toBe(breakable.length);
    const disagreements: string[] = [];
    let defects = 0;
    let single = 0;
    const missed: string[] = [];
    // A few at a time: the mock is shared with the other test files.
    for (let start = 0; start < candidates.length; start += 8) {
      await Promise.all(
        candidates.slice(start, start + 8).map(async (sent) => {
          const findings = check
            .check({
              method: sent.method,
              target: sent.target,
              requestHeaders: { authorization: auth, "content-type": "application/json" },
              requestBody: sent.body,
              status: 401,
              responseHeaders: {},
            })
            .violations.filter((violation) => violation.part.startsWith("request"));
          // A mutation the schema allows (a number where a string or a number goes) is no defect.
          if (findings.length === 0) return;
          defects++;
          const { status, text } = await httpRequest(`${inject("mockUrl")}${sent.target}`, {
            method: sent.method,
            headers: { authorization: auth, "content-type": "application/json" },
            body: sent.body,
          });
          const what = `${sent.operationId} ${sent.example}, ${sent.mutation} at ${sent.field.join(".")}: ${status} ${text.slice(0, 300)}`;
          if (status < 400 || status >= 500) return void disagreements.push(`not refused: ${what}`);
          const messages = messagesOf(JSON.parse(text) as unknown);
          const unnamed = findings.filter((finding) => !messages.some((message) => names(message, fieldOf(finding))));
          if (messages.length !== findings.length || unnamed.length > 0) {
            disagreements.push(`${what} / verify: ${findings.map((f) => f.pointer || f.part).join(", ")}`);
          }
          if (messages.length === 1 && names(messages[0]!, sent.field)) single++;
          else missed.push(what);
        }),
      );
    }
    const share = defects === 0 ? 0 : single / defects;
    console.log(`one judge: ${single}/${defects} single-defect requests (${(share * 100).toFixed(1)}%) got one message naming the field (was 61%, 101/166)`);
    if (missed.length > 0) console.log(`not one message naming the field:\n  ${missed.slice(0, 20).join("\n  ")}`);
    expect(defects, "a few hundred cases").toBeGreaterThan(200);
    expect(disagreements.slice(0, 10), `${disagreements.length} of ${defects} cases: the mock and verify disagree`).toEqual([]);
    expect(share).toBeGreaterThanOrEqual(0.95);
  });
});



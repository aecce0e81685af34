/**
 * The one judge of requests: parameters (path, query, headers) and the JSON body of a routed
 * request against what its operation documents, each checked by the one Ajv set-up
 * (`SchemaCheck`). Each problem is said once, in the API's words, naming the field. The mock
 * refuses with these; `ConformanceCheck` (billing-verify) reports them.
 */
import type { DocumentOperation, DocumentParameter, ParameterLocation } from "./operations.js";
import { beyondInt64, int64Message, isIntegerText, oversizeIntegers } from "./int64.js";
import { escapeSegment, isObject, unescapeSegment } from "./json.js";
import { shortJson, type ProblemKind, type SchemaCheck, type SchemaProblem } from "./schema-check.js";

export interface RequestProblem {
  location: ParameterLocation | "body";
  /** The field: a parameter's name and the keys below it, or the body's keys (`["payment_profile", "customer_id"]`). */
  field: string[];
  /** Where the message is said: the object that misses a key or has one too many; else `field`. */
  place: string[];
  kind: ProblemKind | "parameter" | "missing-body";
  /** One sentence, naming the field the way the API does. */
  message: string;
  /** What the spec wants there, and what was there (short JSON or `nothing`). */
  expected: string;
  found: string;
}

/** The parts of a request the judge reads. */
export interface RequestParts {
  pathParams: Record<string, string>;
  /** The query string, without its `?`. */
  search: string;
  /** Header names in lower case. */
  headers?: Record<string, string | string[] | undefined>;
  /** The body's JSON text, when one was sent (its media type and syntax are checked before). */
  bodyText?: string;
}

const fieldOf = (pointer: string) => (pointer === "" ? [] : pointer.slice(1).split("/").map(unescapeSegment));

/** Query parameters as sent: each name with every value it was given, in order. */
export function queryLists(search: string): Map<string, string[]> {
  const lists = new Map<string, string[]>();
  for (const [key, value] of new URLSearchParams(search)) {
    const values = lists.get(key);
    if (values) values.push(value);
    else lists.set(key, [value]);
  }
  return lists;
}

export class RequestCheck {
  constructor(private readonly schemas: SchemaCheck) {}

  /** Every problem of the request, once each; empty when it is what the operation documents. */
  judge(operation: DocumentOperation, parts: RequestParts): RequestProblem[] {
    const query = queryLists(parts.search);
    const found: RequestProblem[] = [];
    for (const parameter of operation.parameters) {
      const texts = this.textsOf(parameter, parts, query);
      if (texts === undefined) {
        if (parameter.required) found.push(this.missing(parameter));
        continue;
      }
      found.push(...this.parameterProblems(parameter, texts));
    }
    if (operation.requestBody !== undefined) found.push(...this.bodyProblems(operation.requestBody, parts.bodyText));
    return found;
  }

  /** What was sent for a parameter: its texts, or for a deep object its `name[key]` pairs. */
  private textsOf(parameter: DocumentParameter, parts: RequestParts, query: Map<string, string[]>): string[] | Record<string, string> | undefined {
    if (parameter.in === "path") return parts.pathParams[parameter.name] === undefined ? undefined : [parts.pathParams[parameter.name]!];
    if (parameter.in === "header") {
      const value = parts.headers?.[parameter.name.toLowerCase()];
      return value === undefined ? undefined : Array.isArray(value) ? value : [value];
    }
    if (parameter.style === "deepObject") {
      const entries: Record<string, string> = {};
      const prefix = `${parameter.name}[`;
      for (const [key, values] of query) {
        if (key.startsWith(prefix) && key.endsWith("]")) entries[key.slice(prefix.length, -1)] = values[values.length - 1]!;
      }
      return Object.keys(entries).length === 0 ? undefined : entries;
    }
    return query.get(parameter.name);
  }

  private missing(parameter: DocumentParameter): RequestProblem {
    return {
      location: parameter.in,
      field: [parameter.name],
      place: [parameter.name],
      kind: "parameter",
      message: `Request ${parameter.in} must have required property '${parameter.name}'`,
      expected: "a required parameter",
      found: "nothing",
    };
  }

  /**
   * A parameter's texts, read as its schema's type (as the API reads them: decimal digits for an
   * integer, `true`/`false` for a boolean; the last value of a repeated one that is not a list),
   * then checked against its schema.
   */
  private parameterProblems(parameter: DocumentParameter, sent: string[] | Record<string, string>): RequestProblem[] {
    const problem = (inside: string[], message: string, expected: string, found: string, kind: RequestProblem["kind"] = "parameter"): RequestProblem => ({
      location: parameter.in,
      field: [parameter.name, ...inside],
      place: [parameter.name, ...inside],
      kind,
      message: `Request ${parameter.in} parameter ${[parameter.name, ...inside].join(".")} ${message}`,
      expected,
      found,
    });
    const schemaTypes = this.schemas.typesOf(parameter.schemaPointer);
    if (!Array.isArray(sent)) return this.checked(parameter, sent, problem);
    const isList = schemaTypes.includes("array");
    const itemsPointer = `${this.schemas.followPointer(parameter.schemaPointer)}/items`;
    const types = isList ? this.schemas.typesOf(itemsPointer) : schemaTypes;
    const texts = isList ? sent : [sent[sent.length - 1]!];
    const values: unknown[] = [];
    const found: RequestProblem[] = [];
    for (const [index, text] of texts.entries()) {
      const inside = isList ? [String(index)] : [];
      const read = readText(text, types, this.emptyRefused(isList ? itemsPointer : parameter.schemaPointer));
      if ("problem" in read) {
        // An empty value is the parameter's problem, not one of its items'.
        const where = read.problem === "empty" ? [] : inside;
        const message = read.problem === "empty" ? "was sent empty; give it a value or leave it out" : read.problem;
        found.push(problem(where, message, types.join(" or "), shortJson(text)));
      } else if (!("absent" in read)) values.push(read.value);
    }
    if (found.length > 0) return found;
    if (values.length === 0) return parameter.required ? [this.missing(parameter)] : [];
    return this.checked(parameter, isList ? values : values[0], problem);
  }

  private checked(parameter: DocumentParameter, value: unknown, problem: (inside: string[], message: string, expected: string, found: string, kind?: RequestProblem["kind"]) => RequestProblem): RequestProblem[] {
    return this.schemas.check(parameter.schemaPointer, value).map((p) => {
      const place = fieldOf(p.place);
      if (p.rule) return { ...problem(place, "", p.expected, p.found), message: `${[parameter.name, ...place].join(".")}: ${p.message}` };
      return problem(place, p.message, p.expected, p.found);
    });
  }

  /** Whether an empty text is refused as empty: a string with a length, format or list of values. */
  private emptyRefused(pointer: string): boolean {
    const schema = this.schemas.resolve(this.schemas.followPointer(pointer));
    if (!isObject(schema)) return false;
    return (typeof schema.minLength === "number" && schema.minLength > 0) || (Array.isArray(schema.enum) && !schema.enum.includes("")) || typeof schema.format === "string";
  }

  /** The body against its schema, read as written: an integer beyond 64 bits is refused only where the schema says integer. */
  private bodyProblems(requestBodyPointer: string, text: string | undefined): RequestProblem[] {
    const body = this.schemas.resolve(requestBodyPointer) as { required?: boolean; content?: Record<string, unknown> } | undefined;
    const mediaType = Object.keys(body?.content ?? {}).find((type) => type === "application/json" || type.endsWith("+json")) ?? Object.keys(body?.content ?? {})[0];
    if (text === undefined || text === "") {
      return body?.required ? [{ location: "body", field: [], place: [], kind: "missing-body", message: "Request body is required", expected: `a body (${Object.keys(body.content ?? {}).join(", ")})`, found: "nothing" }] : [];
    }
    if (mediaType === undefined) return [];
    const schemaPointer = `${requestBodyPointer}/content/${escapeSegment(mediaType)}/schema`;
    if (this.schemas.resolve(schemaPointer) === undefined) return [];
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return [];
    }
    if (value === null && !this.schemas.typesOf(schemaPointer).includes("null")) {
      return [{ location: "body", field: [], place: [], kind: "wrong-type", message: "Request body must be a JSON object; it was null", expected: "object", found: "null" }];
    }
    const problems = this.schemas.check(schemaPointer, value);
    const oversize = oversizeIntegers(text);
    const said = new Set<string>();
    const found: RequestProblem[] = [];
    for (const [pointer, literal] of oversize) {
      // Where the schema wants an integer, a fraction there is refused: then so is this number.
      const probe = structuredClone(value);
      if (!setAt(probe, pointer, 0.5)) continue;
      const there = this.schemas.check(schemaPointer, probe).some((p) => p.pointer === pointer && (p.kind === "wrong-type" || p.kind === "format"));
      if (!there) continue;
      said.add(pointer);
      const field = fieldOf(pointer);
      found.push({ location: "body", field, place: field, kind: "format", message: `Request body property ${field.join(".")} ${int64Message(literal)}`, expected: "a 64-bit integer", found: literal });
    }
    for (const problem of problems) {
      if (said.has(problem.pointer)) continue;
      found.push(bodyProblem(problem));
    }
    return found;
  }
}

/** A schema problem of the body, worded as the API (and Prism before it) words them. */
function bodyProblem(problem: SchemaProblem): RequestProblem {
  const place = fieldOf(problem.place);
  const where = place.join(".");
  const message = problem.rule ? `${where || "body"}: ${problem.message}` : `Request body ${where ? `property ${where} ` : ""}${problem.message}`;
  return { location: "body", field: fieldOf(problem.pointer), place, kind: problem.kind, message, expected: problem.expected, found: problem.found };
}

function setAt(value: unknown, pointer: string, replacement: unknown): boolean {
  const keys = fieldOf(pointer);
  const last = keys.pop();
  if (last === undefined) return false;
  const parent = keys.reduce<unknown>((node, key) => (isObject(node) || Array.isArray(node) ? (node as Record<string, unknown>)[key] : undefined), value);
  if (!isObject(parent) && !Array.isArray(parent)) return false;
  (parent as Record<string, unknown>)[last] = replacement;
  return true;
}

type Read = { value: unknown } | { problem: string } | { absent: true };

/** A parameter's text as the type its schema says. */
function readText(text: string, types: string[], emptyRefused: boolean): Read {
  if (text === "") {
    if (types.includes("integer") || types.includes("number")) return types.includes("string") ? { value: "" } : { problem: `must be ${types.includes("integer") ? "integer" : "number"}, got ""` };
    if (emptyRefused) return { problem: "empty" };
    return types.includes("string") ? { value: "" } : { absent: true };
  }
  if (types.includes("integer") && isIntegerText(text)) return beyondInt64(text) ? { problem: int64Message(text) } : { value: Number(text) };
  if (types.includes("number") && /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return { value: Number(text) };
  if (types.includes("boolean") && (text === "true" || text === "false")) return { value: text === "true" };
  if (types.includes("string") || types.length === 0 || types.length === 7) return { value: text };
  if (types.includes("integer")) return { problem: `must be integer, got ${JSON.stringify(text)}` };
  if (types.includes("number")) return { problem: `must be number, got ${JSON.stringify(text)}` };
  if (types.includes("boolean")) return { problem: `must be boolean, got ${JSON.stringify(text)}` };
  return { value: text };
}

/**
 * Checks a body against a schema of the bundled document with full JSON Schema 2020-12 (Ajv), and
 * reports each problem once, where it is. Prism's own validator merges `allOf` before validating,
 * which drops `unevaluatedProperties` (an unknown key in a closed payment profile passes) and it
 * ignores `discriminator`; and any validator reports a failed `oneOf` with the errors of every
 * branch. Here a union is judged by the one branch the value means: the one its discriminator names,
 * or the only one whose type fits; a value that names one variant and has the properties of another
 * is one problem, on its discriminator.
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { escapeSegment, isObject, unescapeSegment, type JsonSchema } from "./json.js";

/** What kind of rule a value breaks; the verifier counts violations by these. */
export type ProblemKind =
  | "wrong-type"
  | "unexpected-null"
  | "missing-property"
  | "unknown-property"
  | "enum"
  | "const"
  | "discriminator"
  | "format"
  | "no-variant"
  | "schema";

export interface SchemaProblem {
  kind: ProblemKind;
  /** JSON pointer into the value (`/payment_profile/customer_id`); `""` is the whole value. */
  pointer: string;
  /** What the schema wants there, in words: `integer`, `one of checking, savings`. */
  expected: string;
  /** What was there: a short JSON rendering, or `nothing` for a missing property. */
  found: string;
  /** The schema keyword that failed (`type`, `required`, `unevaluatedProperties`, ...). */
  keyword: string;
}

type Schema = JsonSchema;

const documentId = "https://billing-api.invalid/openapi.json";

/** A short rendering of a value for a message: JSON, cut at 60 characters. */
export function shortJson(value: unknown): string {
  if (value === undefined) return "nothing";
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

const article = (word: string) => (/^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`);
const count = (n: string, what: string) => `${n} ${n === "1" ? what.replace(/(ies|s)$/, (end) => (end === "ies" ? "y" : "")) : what}`;
const list = (names: string[], last = "or") => (names.length <= 1 ? names.join("") : `${names.slice(0, -1).join(", ")} ${last} ${names.at(-1)}`);

/**
 * A validator's rule as a sentence a reader need not decode: `must be >= 0` reads `must be 0 or
 * more`, `query parameter page must be integer, got "x"` reads `must be an integer` (the place and
 * the value are said beside it).
 */
export function ruleInWords(message: string): string {
  return message
    .replace(/^(?:Request )?(?:(?:query|path|header|cookie) parameter|body property) \S+ /i, "")
    .replace(/^Request body (?=must )/, "")
    .replace(/^was sent empty; /, "must not be sent empty: ")
    .replace(/[,;] got [^;]*$/, "")
    .replace(/must be >= (\S+)/g, "must be $1 or more")
    .replace(/must be <= (\S+)/g, "must be $1 or less")
    .replace(/must be > (\S+)/g, "must be more than $1")
    .replace(/must be < (\S+)/g, "must be less than $1")
    .replace(/must NOT have more than (\d+) (\w+)/g, (_, n: string, what: string) => `must have at most ${count(n, what)}`)
    .replace(/must NOT have fewer than (\d+) (\w+)/g, (_, n: string, what: string) => `must have at least ${count(n, what)}`)
    .replace(/must be (integer|string|number|boolean|object|array|null)\b/g, (_, type: string) => `must be ${type === "null" ? "null" : article(type)}`)
    .replace(/must be multiple of/g, "must be a multiple of")
    .replace(/must match pattern "(.*)"/g, "must match the pattern $1")
    .replace(/must match format "([^"]+)"/g, "must be in the format $1")
    .replace(/must be equal to one of the allowed values/g, "must be one of the allowed values")
    .replace(/must be equal to constant/g, "must be the one allowed value")
    .replace(/must have required property '([^']+)'/g, "must have $1")
    .replace(/must NOT have additional properties/g, "must have no other properties")
    .replace(/must NOT have duplicate items.*$/, "must not repeat an item")
    .replace(/must NOT be valid/g, "must not match the form it excludes");
}

function jsonTypeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

function valueAt(value: unknown, pointer: string): unknown {
  if (pointer === "") return value;
  return pointer
    .slice(1)
    .split("/")
    .map(unescapeSegment)
    .reduce<unknown>((node, key) => (isObject(node) || Array.isArray(node) ? (node as Record<string, unknown>)[key] : undefined), value);
}

function createAjv(document: Record<string, unknown>, detailed: boolean): Ajv2020 {
  // strict: false: the document's OpenAPI keywords (discriminator, example, xml) are annotations here.
  const ajv = new Ajv2020({ strict: false, allErrors: detailed, verbose: detailed, allowUnionTypes: true, logger: false });
  addFormats.default(ajv);
  ajv.addFormat("int64", { type: "number", validate: (n: number) => Number.isInteger(n) });
  ajv.addFormat("int32", { type: "number", validate: (n: number) => Number.isInteger(n) && Math.abs(n) < 2 ** 31 });
  ajv.addSchema({ ...document, $id: documentId });
  return ajv;
}

export class SchemaCheck {
  /** Says whether a value is valid, stopping at the first error: most traffic conforms. */
  private readonly fast: Ajv2020;
  /** Every error, with the schema objects they come from, for what does not. */
  private readonly ajv: Ajv2020;
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly fastValidators = new Map<string, ValidateFunction>();
  /** Every schema object of the document by identity, to its JSON pointer: Ajv's errors carry the object. */
  private readonly pointers = new WeakMap<object, string>();

  constructor(private readonly document: Record<string, unknown>) {
    this.fast = createAjv(document, false);
    this.ajv = createAjv(document, true);
    this.index(document, "");
  }

  private index(node: unknown, pointer: string) {
    if (typeof node !== "object" || node === null || this.pointers.has(node)) return;
    this.pointers.set(node, pointer);
    for (const [key, child] of Object.entries(node)) this.index(child, `${pointer}/${escapeSegment(String(key))}`);
  }

  /** The schema object at a JSON pointer of the document (`/components/schemas/Customer`). */
  resolve(pointer: string): unknown {
    return valueAt(this.document, pointer);
  }

  /** Follows `$ref`s to the pointer of the schema they name. */
  private follow(pointer: string): string {
    for (let hops = 0; hops < 20; hops++) {
      const node = this.resolve(pointer);
      if (!isObject(node) || typeof node.$ref !== "string" || !node.$ref.startsWith("#")) return pointer;
      pointer = node.$ref.slice(1);
    }
    return pointer;
  }

  private validator(pointer: string): ValidateFunction {
    let validate = this.validators.get(pointer);
    if (!validate) {
      validate = this.ajv.compile({ $ref: `${documentId}#${pointer}` });
      this.validators.set(pointer, validate);
    }
    return validate;
  }

  /** Whether `value` is valid against the schema at `pointer`. */
  valid(pointer: string, value: unknown): boolean {
    let validate = this.fastValidators.get(pointer);
    if (!validate) {
      validate = this.fast.compile({ $ref: `${documentId}#${pointer}` });
      this.fastValidators.set(pointer, validate);
    }
    return validate(value) as boolean;
  }

  /** The problems of `value` against the schema at `pointer` (a JSON pointer of the document), once each. */
  check(pointer: string, value: unknown, base = ""): SchemaProblem[] {
    if (this.valid(pointer, value)) return [];
    const validate = this.validator(pointer);
    if (validate(value)) return [];
    let errors: ErrorObject[] = [...(validate.errors ?? [])].filter((error) => error.keyword !== "if");
    const problems: SchemaProblem[] = [];

    // Outermost first: shallower places, and at one place the later verdict (Ajv reports a union
    // after the branches inside it).
    const verdicts = errors
      .map((error, order) => ({ error, order }))
      .filter(({ error }) => error.keyword === "oneOf" || error.keyword === "anyOf")
      .sort((a, b) => a.error.instancePath.length - b.error.instancePath.length || b.order - a.order)
      .map(({ error }) => error);
    const handled: string[] = [];
    for (const verdict of verdicts) {
      const at = verdict.instancePath;
      if (handled.some((place) => at === place || at.startsWith(`${place}/`))) continue;
      handled.push(at);
      problems.push(...this.judgeUnion(verdict, valueAt(value, at), base + at));
    }
    // What a judged union's place holds is the judgement's: the house style never puts `properties`
    // beside a `oneOf`, so the errors dropped here are the branches' own.
    errors = errors.filter((error) => !handled.some((place) => error.instancePath === place || error.instancePath.startsWith(`${place}/`)));
    problems.push(...errors.map((error) => this.describe(error, value, base)));

    // A value of the wrong type is one problem, not also a broken format or enum at the same place.
    const mistyped = new Set(problems.filter((p) => p.kind === "wrong-type" || p.kind === "unexpected-null").map((p) => p.pointer));
    const seen = new Set<string>();
    return problems.filter((problem) => {
      if (mistyped.has(problem.pointer) && problem.kind !== "wrong-type" && problem.kind !== "unexpected-null") return false;
      const key = `${problem.kind} ${problem.pointer}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }

  /** A failed `oneOf`/`anyOf`, judged by the branch the value means. */
  private judgeUnion(verdict: ErrorObject, value: unknown, at: string): SchemaProblem[] {
    const union = verdict.parentSchema as Schema | undefined;
    const unionPointer = union ? this.pointers.get(union) : undefined;
    const branches = (verdict.keyword === "oneOf" ? union?.oneOf : union?.anyOf) ?? [];
    const noVariant = (expected: string): SchemaProblem => ({
      kind: "no-variant",
      pointer: at,
      keyword: verdict.keyword,
      expected,
      found: shortJson(value),
    });
    if (!union || unionPointer === undefined || branches.length === 0) return [noVariant("a value matching the schema")];
    const branchPointers = branches.map((_, index) => `${unionPointer}/${verdict.keyword}/${index}`);
    const needs = (exactly: boolean) => this.unionInWords(branchPointers, exactly);

    const tagName = union.discriminator?.propertyName;
    if (tagName && isObject(value)) {
      const tags = branchPointers.map((pointer) => this.tagsOf(pointer, tagName, union.discriminator!.mapping));
      const tag = value[tagName];
      const chosen = tags.findIndex((names) => names.includes(tag as string));
      if (chosen === -1) {
        return [{ kind: "discriminator", pointer: `${at}/${escapeSegment(tagName)}`, keyword: "discriminator", expected: `one of ${tags.flat().join(", ")}`, found: shortJson(tag) }];
      }
      const problems = this.check(branchPointers[chosen]!, value, at);
      if (problems.length === 0) return [];
      // The properties of another variant under this one's tag: one problem, the tag.
      for (const [index, names] of tags.entries()) {
        if (index === chosen) continue;
        const fits = names.find((other) => this.valid(branchPointers[index]!, { ...value, [tagName]: other }));
        if (fits !== undefined) {
          return [{ kind: "discriminator", pointer: `${at}/${escapeSegment(tagName)}`, keyword: "discriminator", expected: `${JSON.stringify(fits)} (the object has that variant's properties)`, found: shortJson(tag) }];
        }
      }
      return problems;
    }

    const passing = (verdict.params as { passingSchemas?: number[] | null }).passingSchemas;
    if (passing) return [noVariant(`${needs(true)}; it matches ${passing.length} of them`)];
    const type = jsonTypeOf(value);
    const fitting = branchPointers.filter((pointer) => this.typesOf(pointer).some((t) => t === type || (t === "number" && type === "integer")));
    if (fitting.length === 1) return this.check(fitting[0]!, value, at);
    if (fitting.length === 0) {
      const types = [...new Set(branchPointers.flatMap((pointer) => this.typesOf(pointer)))];
      return [{ kind: value === null ? "unexpected-null" : "wrong-type", pointer: at, keyword: "type", expected: types.join(" or "), found: shortJson(value) }];
    }
    // Several alternatives of the value's type (a card or a bank account body): the one it misses
    // least is the one it meant, if exactly one is closest.
    // Alternatives that say the same (a stray key every closed variant refuses) count as one.
    // A branch that fits none of its own alternatives is far off, however short its verdict.
    const distance = (problems: SchemaProblem[]) => problems.reduce((sum, p) => sum + (p.kind === "no-variant" ? 100 : 1), 0);
    const judged = fitting.map((pointer) => this.check(pointer, value, at)).sort((a, b) => distance(a) - distance(b));
    const saying = (problems: SchemaProblem[]) => problems.map((p) => `${p.kind} ${p.pointer}`).sort().join("\n");
    const closest = judged.filter((problems) => distance(problems) === distance(judged[0]!));
    if (judged.length > 0 && new Set(closest.map(saying)).size === 1) return judged[0]!;
    return [noVariant(needs(verdict.keyword === "oneOf"))];
  }

  /**
   * What a union's alternatives need, as the mock says it: `must have at least one of
   * amount_in_cents or amount` when each alternative requires something the others do not, else
   * the alternatives' names (`must match exactly one of PercentageCoupon or FlatAmountCoupon`).
   */
  private unionInWords(branchPointers: string[], exactly: boolean): string {
    const howMany = exactly ? "exactly" : "at least";
    const own = branchPointers.map((pointer) => this.requiredOf(pointer));
    const shared = own.reduce((common, names) => common.filter((name) => names.includes(name)));
    const marks = own.map((names) => names.filter((name) => !shared.includes(name)));
    if (marks.every((names) => names.length > 0)) return `must have ${howMany} one of ${list(marks.map((names) => names.join(" with ")))}`;
    const names = branchPointers.map((pointer) => {
      const ref = (this.resolve(pointer) as Schema | undefined)?.$ref;
      return ref?.startsWith("#/components/schemas/") ? unescapeSegment(ref.split("/").at(-1)!) : undefined;
    });
    if (names.every((name) => name !== undefined)) return `must match ${howMany} one of ${list(names as string[])}`;
    return `must match ${howMany} one of its ${branchPointers.length} alternatives`;
  }

  /** The properties a schema requires, through `$ref` and `allOf`. */
  private requiredOf(pointer: string, depth = 0): string[] {
    const resolved = this.follow(pointer);
    const node = this.resolve(resolved);
    if (!isObject(node) || depth > 10) return [];
    const own = Array.isArray(node.required) ? node.required.filter((name): name is string => typeof name === "string") : [];
    const parts = Array.isArray(node.allOf) ? node.allOf.flatMap((_, index) => this.requiredOf(`${resolved}/allOf/${index}`, depth + 1)) : [];
    return [...new Set([...own, ...parts])];
  }

  /** The JSON types a schema admits (all, when it does not say), through `$ref` and `allOf`. */
  private typesOf(pointer: string, depth = 0): string[] {
    const all = ["null", "boolean", "object", "array", "number", "integer", "string"];
    const resolved = this.follow(pointer);
    const node = this.resolve(resolved);
    if (!isObject(node) || depth > 10) return all;
    const own = node as Schema;
    if (own.type !== undefined) return Array.isArray(own.type) ? own.type : [own.type];
    if ("const" in own) return [jsonTypeOf(own.const)];
    if (Array.isArray(own.enum)) return [...new Set(own.enum.map(jsonTypeOf))];
    for (let index = 0; index < (own.allOf ?? []).length; index++) {
      const types = this.typesOf(`${resolved}/allOf/${index}`, depth + 1);
      if (types.length < all.length) return types;
    }
    const alternatives = own.oneOf ? "oneOf" : own.anyOf ? "anyOf" : undefined;
    if (alternatives) return [...new Set((own[alternatives] as Schema[]).flatMap((_, index) => this.typesOf(`${resolved}/${alternatives}/${index}`, depth + 1)))];
    return all;
  }

  /** The discriminator values a branch answers to: its mapping entries, else its `const`/`enum`. */
  private tagsOf(pointer: string, name: string, mapping: Record<string, string> | undefined): string[] {
    const resolved = this.follow(pointer);
    const mapped = Object.entries(mapping ?? {})
      .filter(([, target]) => this.follow(target.replace(/^#/, "")) === resolved)
      .map(([tag]) => tag);
    if (mapped.length > 0) return mapped;
    const found: string[] = [];
    const visit = (at: string, depth: number) => {
      const node = this.resolve(this.follow(at)) as Schema | undefined;
      if (!isObject(node) || depth > 10) return;
      const property = node.properties?.[name];
      if (isObject(property)) {
        if (typeof property.const === "string") found.push(property.const);
        if (Array.isArray(property.enum)) found.push(...property.enum.filter((v): v is string => typeof v === "string"));
      }
      (node.allOf ?? []).forEach((_, index) => visit(`${this.follow(at)}/allOf/${index}`, depth + 1));
    };
    visit(resolved, 0);
    return found;
  }

  private describe(error: ErrorObject, value: unknown, base: string): SchemaProblem {
    const at = error.instancePath;
    const here = valueAt(value, at);
    const params = error.params as Record<string, unknown>;
    const problem = (kind: ProblemKind, pointer: string, expected: string, found: string): SchemaProblem => ({ kind, pointer: base + pointer, expected, found, keyword: error.keyword });
    switch (error.keyword) {
      case "required":
        return problem("missing-property", `${at}/${escapeSegment(String(params.missingProperty))}`, "a required property", "nothing");
      case "additionalProperties":
      case "unevaluatedProperties": {
        const name = String(params.additionalProperty ?? params.unevaluatedProperty);
        return problem("unknown-property", `${at}/${escapeSegment(name)}`, "no such property (the schema lists every key it allows)", shortJson(valueAt(here, `/${escapeSegment(name)}`)));
      }
      case "type": {
        const expected = Array.isArray(params.type) ? params.type.join(" or ") : String(params.type);
        return problem(here === null ? "unexpected-null" : "wrong-type", at, expected, shortJson(here));
      }
      case "enum": {
        const allowed = ((params.allowedValues as unknown[]) ?? []).map((v) => shortJson(v));
        const listed = allowed.length > 12 ? `${allowed.slice(0, 10).join(", ")} and ${allowed.length - 10} more` : allowed.join(", ");
        return problem("enum", at, `one of ${listed}`, shortJson(here));
      }
      case "const":
        return problem("const", at, shortJson(params.allowedValue), shortJson(here));
      case "format":
        return problem("format", at, `format ${String(params.format)}`, shortJson(here));
      default:
        return problem("schema", at, ruleInWords(error.message ?? error.keyword), shortJson(here));
    }
  }
}

/**
 * Checks a body against a schema of the bundled document with full JSON Schema 2020-12 (Ajv), and
 * reports each problem once, where it is. Prism's own validator merges `allOf` before validating,
 * which drops `unevaluatedProperties` (an unknown key in a closed payment profile passes) and it
 * ignores `discriminator`; and any validator reports a failed `oneOf` with the errors of every
 * branch. Here a union is judged by the one branch the value means: the one its discriminator names,
 * or the only one whose type fits; a value that names one variant and has the properties of another
 * is one problem, on its discriminator.
 *
 * The same judgement words what it finds the way the API does: Ajv's sentence at its place (as Prism
 * worded it before), or the rule a union or keyword pattern states ("give exactly one of a or b",
 * "give at least one of", "give at most one of", `type "x" requires y`, "at most one item may have",
 * `"a": 1 needs "b": 2`), once, for the mock's refusals and billing-verify's findings alike.
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { escapeSegment, isObject, unescapeSegment, valueAtPointer as valueAt, type JsonSchema } from "./json.js";

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
  /** The place the message is about: the object that misses a key or has one too many, else `pointer`. */
  place: string;
  /**
   * The problem in the API's words, without its place: Ajv's sentence (`must be integer`,
   * `must NOT have unevaluated properties: 'x'`), or with `rule`, a rule about the object at
   * `place` (`give exactly one of a or b; got a and b`).
   */
  message: string;
  rule?: boolean;
}

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

/**
 * What a finding wanted, as its sentence says it: `expected string`, or a rule that already reads as
 * a sentence as it is (`must be 1 or more`, `give at least one of a or b`).
 */
export function wanted(expected: string): string {
  return /^(must|give) /.test(expected) ? expected : `expected ${expected}`;
}

function jsonTypeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}


function createAjv(document: Record<string, unknown>, detailed: boolean): Ajv2020 {
  // strict: false: the document's OpenAPI keywords (discriminator, example, xml) are annotations here.
  // validateSchema: false: the document is added whole, and JSON Schema's meta-schema ignores its
  // `paths` and `components` (keywords it does not know), so checking it against the meta-schema
  // checked none of its schemas, and compiling the meta-schema cost each instance about 60 ms of CPU
  // at every start. The spec's schemas are checked by its lint (Redocly's struct rules).
  const ajv = new Ajv2020({ strict: false, allErrors: detailed, verbose: detailed, allowUnionTypes: true, logger: false, validateSchema: false });
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
  private readonly reach = new Map<string, string[]>();

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
  followPointer(pointer: string): string {
    return this.follow(pointer);
  }

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
    const errors: ErrorObject[] = [...(validate.errors ?? [])];
    const problems: SchemaProblem[] = [];

    // Verdicts that speak for the errors inside them: a union (judged by the branch the value
    // means), a conditional and a `contains`. Outermost first: shallower places, and at one place
    // the later verdict (Ajv reports a verdict after the errors inside it).
    const verdictKeywords = ["oneOf", "anyOf", "if", "contains"];
    const verdicts = errors
      .map((error, order) => ({ error, order }))
      .filter(({ error }) => verdictKeywords.includes(error.keyword))
      .sort((a, b) => a.error.instancePath.length - b.error.instancePath.length || b.order - a.order)
      .map(({ error }) => error);
    const judged: { at: string; roots: string[] }[] = [];
    // An error belongs to a verdict when it is at or below its place and comes from a schema the
    // verdict's subschemas reach: another rule at the same place (a second "exactly one of") is its own.
    const within = (error: ErrorObject) => {
      const schemaAt = this.pointers.get(error.parentSchema as object);
      return judged.some(
        ({ at, roots }) =>
          (error.instancePath === at || error.instancePath.startsWith(`${at}/`)) &&
          schemaAt !== undefined &&
          roots.some((root) => schemaAt === root || schemaAt.startsWith(`${root}/`)),
      );
    };
    for (const verdict of verdicts) {
      if (within(verdict)) continue;
      const owner = this.pointers.get(verdict.parentSchema as object);
      const subschemas = verdict.keyword === "if" ? ["then", "else"] : [verdict.keyword];
      const roots = owner === undefined ? [] : subschemas.flatMap((keyword) => this.reachable(`${owner}/${keyword}`));
      const here = valueAt(value, verdict.instancePath);
      const at = base + verdict.instancePath;
      if (verdict.keyword === "oneOf" || verdict.keyword === "anyOf") {
        judged.push({ at: verdict.instancePath, roots });
        problems.push(...this.judgeUnion(verdict, here, at));
      } else if (verdict.keyword === "if") {
        // "This needs that" (`create_prorations` needs `mode: immediately`), when both sides are constants.
        const node = verdict.parentSchema as JsonSchema;
        if (!isObject(node.if) || !isObject(node.then) || !matchesSimple(node.if, here) || matchesSimple(node.then, here) || describeSimple(node.then) === "") continue;
        judged.push({ at: verdict.instancePath, roots });
        problems.push(this.rule("schema", at, "if", `${describeSimple(node.if)} needs ${describeSimple(node.then)}`, shortJson(here)));
      } else {
        const node = verdict.parentSchema as JsonSchema;
        const contains = node.contains;
        if (!Array.isArray(here) || typeof node.maxContains !== "number" || !isObject(contains)) continue;
        const indexes = here.flatMap((item, index) => (matchesSimple(contains, item) ? [index] : []));
        if (indexes.length <= node.maxContains) continue;
        judged.push({ at: verdict.instancePath, roots });
        const most = node.maxContains === 1 ? "one item" : `${node.maxContains} items`;
        problems.push(this.rule("schema", at, "contains", `at most ${most} may have ${describeSimple(contains)}; items ${list(indexes.map(String), "and")} do`, shortJson(here)));
      }
    }
    // A key refused by `propertyNames`: its own error says why; Ajv's "property name must be valid" goes.
    const rest = errors.filter((error) => error.keyword !== "if" && error.keyword !== "propertyNames" && !verdicts.includes(error) && !within(error));
    problems.push(...rest.map((error) => this.describe(error, value, base)));

    // A value of the wrong type is one problem, not also a broken format or enum at the same place.
    const mistyped = new Set(problems.filter((p) => p.kind === "wrong-type" || p.kind === "unexpected-null").map((p) => p.pointer));
    const seen = new Set<string>();
    return problems.filter((problem) => {
      if (mistyped.has(problem.pointer) && problem.kind !== "wrong-type" && problem.kind !== "unexpected-null") return false;
      const key = `${problem.kind} ${problem.pointer} ${problem.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }

  /** A problem stated as a rule about the object at `at` (`give exactly one of a or b; got a and b`). */
  private rule(kind: ProblemKind, at: string, keyword: string, message: string, found: string, pointer = at): SchemaProblem {
    return { kind, pointer, place: at, keyword, expected: message, found, message, rule: true };
  }

  /** Every schema a subschema reaches through its `$ref`s: their pointers, cached. */
  private reachable(pointer: string): string[] {
    const known = this.reach.get(pointer);
    if (known) return known;
    const roots = [pointer];
    for (let index = 0; index < roots.length && roots.length < 500; index++) {
      const visit = (node: unknown) => {
        if (Array.isArray(node)) return node.forEach(visit);
        if (!isObject(node)) return;
        if (typeof node.$ref === "string" && node.$ref.startsWith("#")) {
          const target = this.follow(node.$ref.slice(1));
          if (!roots.includes(target)) roots.push(target);
        }
        for (const child of Object.values(node)) visit(child);
      };
      visit(this.resolve(roots[index]!));
    }
    this.reach.set(pointer, roots);
    return roots;
  }

  /** A failed `oneOf`/`anyOf`, judged by the branch the value means. */
  private judgeUnion(verdict: ErrorObject, value: unknown, at: string): SchemaProblem[] {
    const union = verdict.parentSchema as JsonSchema | undefined;
    const unionPointer = union ? this.pointers.get(union) : undefined;
    const branches = (verdict.keyword === "oneOf" ? union?.oneOf : union?.anyOf) ?? [];
    const noVariant = (expected: string): SchemaProblem => ({
      kind: "no-variant",
      pointer: at,
      place: at,
      keyword: verdict.keyword,
      expected,
      found: shortJson(value),
      message: `must match ${verdict.keyword === "oneOf" ? "exactly one" : "at least one"} schema in ${verdict.keyword}`,
    });
    if (!union || unionPointer === undefined || branches.length === 0) return [noVariant("a value matching the schema")];
    const branchPointers = branches.map((_, index) => `${unionPointer}/${verdict.keyword}/${index}`);
    const resolved = branchPointers.map((pointer) => this.resolve(this.follow(pointer)) as JsonSchema);

    // "Exactly one of" / "at least one of": branches that only list required properties.
    if (isObject(value) && resolved.every(requiredOnly)) {
      const choices = resolved.map((branch) => branch.required!.join(" with "));
      const given = [...new Set(resolved.flatMap((branch) => branch.required!).filter((name) => name in value))];
      const got = given.length === 0 ? "none was given" : `got ${list(given, "and")}`;
      const rule = verdict.keyword === "oneOf" ? `give exactly one of ${list(choices)}; ${got}` : `give at least one of ${list(choices)}; none was given`;
      return [this.rule("no-variant", at, verdict.keyword, rule, shortJson(value))];
    }

    const tagName = union.discriminator?.propertyName;
    if (tagName && isObject(value)) {
      const tags = branchPointers.map((pointer) => this.tagsOf(pointer, tagName, union.discriminator!.mapping));
      const tag = value[tagName];
      const chosen = tags.findIndex((names) => names.includes(tag as string));
      const tagPointer = `${at}/${escapeSegment(tagName)}`;
      if (chosen === -1) {
        const got = tagName in value ? `got ${JSON.stringify(tag)}` : "none was given";
        return [this.rule("discriminator", at, "discriminator", `${tagName} must be one of ${tags.flat().join(", ")}; ${got}`, shortJson(tag), tagPointer)];
      }
      const problems = this.check(branchPointers[chosen]!, value, at);
      if (problems.length === 0) return [];
      const declared = (index: number) => Object.keys(this.propertiesOf(branchPointers[index]!) ?? {});
      const elsewhere = (name: string) => resolved.some((_, index) => index !== chosen && declared(index).includes(name));
      // The object fits another variant, and has keys that variant declares and this one does not:
      // one problem, the tag. (Fitting another variant by missing this one's keys is not enough.)
      const own = declared(chosen);
      for (const [index, names] of tags.entries()) {
        if (index === chosen) continue;
        const theirs = declared(index).filter((name) => name !== tagName && !own.includes(name) && name in value);
        if (theirs.length === 0) continue;
        const fits = names.find((other) => this.valid(branchPointers[index]!, { ...value, [tagName]: other }));
        if (fits !== undefined) {
          return [{
            ...this.rule("discriminator", at, "discriminator", `${tagName} is ${JSON.stringify(tag)} but the properties are those of ${tagName} ${JSON.stringify(fits)}`, shortJson(tag), tagPointer),
            expected: `${JSON.stringify(fits)} (the object has that variant's properties)`,
          }];
        }
      }
      // What is wrong at the variant's own level, said in the variant's terms.
      const said = `${tagName} ${JSON.stringify(tag)}`;
      return problems.map((problem) => {
        if (problem.place !== at) return problem;
        const name = unescapeSegment(problem.pointer.slice(at.length + 1));
        if (problem.kind === "missing-property") return { ...problem, message: `${said} requires ${name}`, rule: true };
        if (problem.kind === "unknown-property") return { ...problem, message: elsewhere(name) ? `${name} does not go with ${said}` : `${name} is not a property of ${said}`, rule: true };
        return problem;
      });
    }

    const passing = (verdict.params as { passingSchemas?: number[] | null }).passingSchemas;
    // Variants told apart by what each requires beyond the others (a percentage coupon needs
    // `percentage`, a flat-amount one `amount_in_cents`, a card `full_number`): the one whose marks
    // the value has most of is the one it means; between equals, the one it misses least.
    if (isObject(value) && verdict.keyword === "oneOf") {
      const own = branchPointers.map((pointer) => this.requiredOf(pointer, 0, true));
      const shared = own.reduce((common, names) => common.filter((name) => names.includes(name)));
      const marks = own.map((names) => names.filter((name) => !shared.includes(name)));
      if (marks.every((names) => names.length > 0)) {
        const counts = marks.map((names) => names.filter((name) => name in value).length);
        const best = Math.max(...counts);
        const tied = branchPointers.filter((_, index) => counts[index] === best);
        if (best > 0 && tied.length === 1) return this.check(tied[0]!, value, at);
        // With none of the marks, the closest variant only when the value says more than "none
        // given" against it (keys no variant takes, a wrong type): else the rule is the message.
        const closest = this.closest(best > 0 ? tied : branchPointers, value, at);
        if (closest && (best > 0 || closest.some((problem) => problem.kind !== "missing-property"))) return closest;
        const given = [...new Set(marks.flat().filter((name) => name in value))];
        const got = given.length === 0 ? "none was given" : `got ${list(given, "and")}`;
        return [this.rule("no-variant", at, "oneOf", `give exactly one of ${list(marks.map((names) => names.join(" with ")))}; ${got}`, shortJson(value))];
      }
    }
    if (passing) return [noVariant(`exactly one of the ${branches.length} alternatives (it matches ${passing.length})`)];
    const type = jsonTypeOf(value);
    const fitting = branchPointers.filter((pointer) => this.typesOf(pointer).some((t) => t === type || (t === "number" && type === "integer")));
    if (fitting.length === 1) return this.check(fitting[0]!, value, at);
    if (fitting.length === 0) {
      const types = [...new Set(branchPointers.flatMap((pointer) => this.typesOf(pointer)))];
      const expected = types.join(" or ");
      return [{ kind: value === null ? "unexpected-null" : "wrong-type", pointer: at, place: at, keyword: "type", expected, found: shortJson(value), message: `must be ${types.join(",")}` }];
    }
    // Several alternatives of the value's type: the one it misses least, if exactly one is closest.
    return this.closest(fitting, value, at) ?? [noVariant(`one of ${branches.length} alternatives`)];
  }

  /**
   * The problems against the alternative a value misses least, if exactly one is closest.
   * Alternatives that say the same (a stray key every closed variant refuses) count as one.
   * A branch that fits none of its own alternatives is far off, however short its verdict.
   */
  private closest(pointers: string[], value: unknown, at: string): SchemaProblem[] | undefined {
    const distance = (problems: SchemaProblem[]) => problems.reduce((sum, p) => sum + (p.kind === "no-variant" ? 100 : 1), 0);
    const judgedBranches = pointers.map((pointer) => this.check(pointer, value, at)).sort((a, b) => distance(a) - distance(b));
    const saying = (problems: SchemaProblem[]) => problems.map((p) => `${p.kind} ${p.pointer}`).sort().join("\n");
    const closest = judgedBranches.filter((problems) => distance(problems) === distance(judgedBranches[0]!));
    return judgedBranches.length > 0 && new Set(closest.map(saying)).size === 1 ? judgedBranches[0]! : undefined;
  }

  /** The properties a schema requires, its own and its `allOf` parts', through `$ref`s. */
  /** With `alternatives`, also the names of its "at least one of" and "exactly one of" rules. */
  private requiredOf(pointer: string, depth = 0, alternatives = false): string[] {
    const resolved = this.follow(pointer);
    const node = this.resolve(resolved) as JsonSchema | undefined;
    if (!isObject(node) || depth > 10) return [];
    const parts = (node.allOf ?? []).flatMap((_, index) => this.requiredOf(`${resolved}/allOf/${index}`, depth + 1, alternatives));
    const rules = !alternatives ? [] : [node.anyOf, node.oneOf].flatMap((branches) => (branches?.length && branches.every(requiredOnly) ? branches.flatMap((branch) => branch.required!) : []));
    return [...new Set([...((node.required as string[] | undefined) ?? []), ...parts, ...rules])];
  }

  /** The properties a schema declares, its own and its `allOf` parts', through `$ref`s. */
  private propertiesOf(pointer: string, depth = 0): Record<string, unknown> | undefined {
    const resolved = this.follow(pointer);
    const node = this.resolve(resolved) as JsonSchema | undefined;
    if (!isObject(node) || depth > 10) return undefined;
    const parts = (node.allOf ?? []).map((_, index) => this.propertiesOf(`${resolved}/allOf/${index}`, depth + 1) ?? {});
    return Object.assign({}, ...parts, node.properties ?? {});
  }

  /** The JSON types a schema admits (all, when it does not say), through `$ref` and `allOf`. */
  typesOf(pointer: string, depth = 0): string[] {
    const all = ["null", "boolean", "object", "array", "number", "integer", "string"];
    const resolved = this.follow(pointer);
    const node = this.resolve(resolved);
    if (!isObject(node) || depth > 10) return all;
    const own = node as JsonSchema;
    if (own.type !== undefined) return Array.isArray(own.type) ? own.type : [own.type];
    if ("const" in own) return [jsonTypeOf(own.const)];
    if (Array.isArray(own.enum)) return [...new Set(own.enum.map(jsonTypeOf))];
    for (let index = 0; index < (own.allOf ?? []).length; index++) {
      const types = this.typesOf(`${resolved}/allOf/${index}`, depth + 1);
      if (types.length < all.length) return types;
    }
    const alternatives = own.oneOf ? "oneOf" : own.anyOf ? "anyOf" : undefined;
    if (alternatives) return [...new Set((own[alternatives] as JsonSchema[]).flatMap((_, index) => this.typesOf(`${resolved}/${alternatives}/${index}`, depth + 1)))];
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
      const node = this.resolve(this.follow(at)) as JsonSchema | undefined;
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
    // Ajv's sentence, with what Prism added to it: the values an enum allows, the key a closed object refuses.
    const allowed = Array.isArray(params.allowedValues) ? `: ${params.allowedValues.join(", ")}` : "";
    const additional = "additionalProperty" in params ? `; found '${String(params.additionalProperty)}'` : "";
    const unevaluated = "unevaluatedProperty" in params ? `: '${String(params.unevaluatedProperty)}'` : "";
    const propertyName = (error as ErrorObject & { propertyName?: string }).propertyName;
    const named = propertyName === undefined ? "" : `property name '${propertyName}' `;
    const message = `${named}${error.message ?? error.keyword}${allowed}${additional}${unevaluated}`;
    const problem = (kind: ProblemKind, pointer: string, expected: string, found: string): SchemaProblem => ({ kind, pointer: base + pointer, place: base + at, expected, found, keyword: error.keyword, message });
    if (propertyName !== undefined) return problem("unknown-property", `${at}/${escapeSegment(propertyName)}`, `a property name that ${error.message ?? error.keyword}`, shortJson(propertyName));
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
        const values = (params.allowedValues as unknown[]) ?? [];
        const shown = values.map((v) => shortJson(v));
        const listed = shown.length > 12 ? `${shown.slice(0, 10).join(", ")} and ${shown.length - 10} more` : shown.join(", ");
        // An enum that mixes types (`true`, `1`, `"1"`): Ajv's list prints them all alike.
        if (new Set(values.map(String)).size < values.length) {
          return { ...problem("enum", at, `one of ${listed}`, shortJson(here)), message: `must be one of ${values.map((v) => JSON.stringify(v)).join(", ")}; got ${JSON.stringify(here)}`, rule: true };
        }
        return problem("enum", at, `one of ${listed}`, shortJson(here));
      }
      case "const":
        return problem("const", at, shortJson(params.allowedValue), shortJson(here));
      case "format":
        return problem("format", at, `format ${String(params.format)}`, shortJson(here));
      case "minLength":
        // An empty text where one is needed: the API's own words ("Memo: cannot be blank.").
        if (params.limit === 1 && here === "") return { ...problem("schema", at, "a text that is not blank", shortJson(here)), message: "cannot be blank" };
        return problem("schema", at, ruleInWords(error.message ?? error.keyword), shortJson(here));
      case "not": {
        // "At most one of": a `not` that requires them all. Where it also names values
        // (`cancel_at_end_of_period: true` with `next_billing_at`), only those values clash.
        const node = ((error.parentSchema as JsonSchema | undefined)?.not ?? {}) as JsonSchema;
        const names = [...new Set([...((node.required as string[] | undefined) ?? []), ...(node.allOf ?? []).flatMap((part) => (part.required as string[] | undefined) ?? [])])];
        if (names.length > 1 && isObject(here)) {
          const valued = Object.entries(node.properties ?? {}).filter(([, property]) => isObject(property) && (property.enum || "const" in property));
          const [first] = valued;
          const rule = first
            ? `${first[0]} ${JSON.stringify(here[first[0]])} does not go with ${list(names.filter((name) => name !== first[0]), "and")}`
            : `give at most one of ${list(names)}; got ${list(names, "and")}`;
          return { ...problem("schema", at, rule, shortJson(here)), message: rule, rule: true };
        }
        return problem("schema", at, error.message ?? error.keyword, shortJson(here));
      }
      default:
        return problem("schema", at, ruleInWords(error.message ?? error.keyword), shortJson(here));
    }
  }
}

/** A `oneOf` branch that only lists required properties: one way of "exactly one of". */
const requiredOnly = (branch: JsonSchema | undefined) =>
  isObject(branch) && Array.isArray(branch.required) && Object.keys(branch).every((key) => key === "required" || key === "description");


/** Whether `value` has what a simple schema asks: its required properties, with their `const`. */
function matchesSimple(schema: JsonSchema, value: unknown): boolean {
  if (!isObject(value)) return false;
  if (!((schema.required as string[] | undefined) ?? []).every((name) => name in value)) return false;
  return Object.entries(schema.properties ?? {}).every(([name, property]) => !("const" in property) || !(name in value) || value[name] === property.const);
}

/** The constants a simple schema asks for: `"mode": "immediately"`. */
function describeSimple(schema: JsonSchema): string {
  const consts = Object.entries(schema.properties ?? {}).filter(([, property]) => "const" in property);
  return consts.map(([name, property]) => `"${name}": ${JSON.stringify(property.const)}`).join(", ");
}

/**
 * Names the rule a request breaks where JSON Schema's own verdict does not. The spec states "exactly
 * one of a, b or c" as a `oneOf` of `required` lists and "at most one primary" as `contains` +
 * `maxContains`; a validator then says only "must match exactly one schema in oneOf" and lists the
 * properties every branch misses. This module reads those idioms from the request schema and says
 * what the API would: which properties, and which were given.
 */
import type { Violation } from "./violations.js";

type Schema = {
  required?: string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];

  contains?: Schema;
  maxContains?: number;
  const?: unknown;
  enum?: unknown[];
  if?: Schema;
  then?: Schema;
  not?: Schema;
  discriminator?: { propertyName: string; mapping?: Record<string, string> };
  additionalProperties?: unknown;
  [keyword: string]: unknown;
};

/** A broken rule, with the property names it is about (to drop the validator's noise about them). */
export interface RuleViolation extends Violation {
  about: string[];
  /** For an at-most rule, the validator's noise sits on the array's items rather than the array. */
  onItems?: boolean;
  /** An enum rule replaces the validator's own enum message at the same place. */
  onEnum?: boolean;
  /** A conditional rule: replaces the validator's verdicts on the properties it names. */
  onThen?: boolean;
  /** Only drops the validator's noise: the value is right for its variant at this level. */
  silent?: boolean;
  /**
   * A discriminated union's verdict: it replaces every message at its place, and those below it
   * except under `keep`, the chosen variant's properties (the validator reports every variant).
   */
  keep?: string[];
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** A `oneOf` branch that only lists required properties: one way of "exactly one of". */
const requiredOnly = (branch: Schema) =>
  Array.isArray(branch.required) && Object.keys(branch).every((key) => key === "required" || key === "description");

const list = (names: string[], last = "or") =>
  names.length <= 1 ? names.join("") : `${names.slice(0, -1).join(", ")} ${last} ${names[names.length - 1]}`;

/** The variant a discriminated `oneOf` picks for `value`, and what the value does wrong against it. */
function discriminated(node: Schema, value: Record<string, unknown>, path: string[], at: (message: string, about: string[]) => RuleViolation): RuleViolation[] {
  const name = node.discriminator!.propertyName;
  const variants = node.oneOf!.map((variant) => ({ variant, tag: variant.properties?.[name]?.const }));
  const tags = variants.map(({ tag }) => tag).filter((tag): tag is string => typeof tag === "string");
  if (tags.length !== variants.length) return [];
  const chosen = variants.find(({ tag }) => tag === value[name])?.variant;
  if (!chosen) {
    const got = name in value ? `got ${JSON.stringify(value[name])}` : "none was given";
    return [{ ...at(`${name} must be one of ${tags.join(", ")}; ${got}`, []), keep: [] }];
  }
  const own = Object.keys(chosen.properties ?? {});
  const closed = chosen.additionalProperties === false || chosen.unevaluatedProperties === false;
  const tag = JSON.stringify(value[name]);
  const found: RuleViolation[] = [];
  for (const missing of requiredOf(chosen).filter((required) => !(required in value))) {
    found.push({ ...at(`${name} ${tag} requires ${missing}`, []), keep: own });
  }
  for (const stray of Object.keys(value).filter((key) => closed && !own.includes(key))) {
    const elsewhere = variants.some(({ variant }) => stray in (variant.properties ?? {}));
    found.push({ ...at(elsewhere ? `${stray} does not go with ${name} ${tag}` : `${stray} is not a property of ${name} ${tag}`, []), keep: own });
  }
  if (found.length === 0) found.push({ ...at("", []), keep: own, silent: true });
  // Rules inside the chosen variant (a nested union, an enum) still apply.
  return [...found, ...ruleViolations({ ...chosen, oneOf: undefined }, value, path)];
}

/** The properties a schema requires, its own and its `allOf` parts'. */
function requiredOf(schema: Schema): string[] {
  return [...new Set([...(schema.required ?? []), ...(schema.allOf ?? []).flatMap(requiredOf)])];
}

/** Whether `value` has what a simple `contains` schema asks: required properties with their `const`. */
function matchesSimple(schema: Schema, value: unknown): boolean {
  if (!isObject(value)) return false;
  if (!(schema.required ?? []).every((name) => name in value)) return false;
  return Object.entries(schema.properties ?? {}).every(
    ([name, property]) => !("const" in property) || !(name in value) || value[name] === property.const,
  );
}

function describeSimple(schema: Schema): string {
  const consts = Object.entries(schema.properties ?? {}).filter(([, property]) => "const" in property);
  return consts.map(([name, property]) => `"${name}": ${JSON.stringify(property.const)}`).join(", ") || "the required form";
}

/** The rules `value` breaks, walking `schema` (dereferenced) alongside it. */
export function ruleViolations(schema: unknown, value: unknown, path: string[] = []): RuleViolation[] {
  if (!isObject(schema)) return [];
  const node = schema as Schema;
  const where = path.join(".") || "body";
  const found: RuleViolation[] = [];
  const at = (message: string, about: string[]): RuleViolation => ({
    location: ["request", "body", ...path],
    severity: "Error",
    code: "rule",
    message: `${where}: ${message}`,
    about,
  });

  // Every exactly-one rule at this place, satisfied or not: the validator reports the missing
  // properties of each rule's other branches as noise.
  const parts = [node, ...(node.allOf ?? [])];
  const names = parts.flatMap((part) =>
    [part.oneOf, part.anyOf].flatMap((branches) =>
      branches?.length && branches.every(requiredOnly) ? branches.flatMap((branch) => branch.required!) : [],
    ),
  );
  for (const part of node.allOf ?? []) {
    found.push(...ruleViolations(part, value, path).map((rule) => (rule.location.length === path.length + 2 ? { ...rule, about: [...new Set([...rule.about, ...names])] } : rule)));
  }

  if (isObject(value) && node.oneOf?.length && node.oneOf.every(requiredOnly)) {
    const matched = node.oneOf.filter((branch) => branch.required!.every((name) => name in value));
    if (matched.length !== 1) {
      const given = node.oneOf.flatMap((branch) => branch.required!).filter((name) => name in value);
      const got = given.length === 0 ? "none was given" : `got ${list([...new Set(given)], "and")}`;
      const choices = node.oneOf.map((branch) => branch.required!.join(" with "));
      found.push(at(`give exactly one of ${list(choices)}; ${got}`, names.length > 0 ? names : node.oneOf.flatMap((branch) => branch.required!)));
    }
  }

  // "At least one of": an anyOf of required lists.
  if (isObject(value) && node.anyOf?.length && node.anyOf.every(requiredOnly)) {
    if (!node.anyOf.some((branch) => branch.required!.every((name) => name in value))) {
      const choices = node.anyOf.map((branch) => branch.required!.join(" with "));
      found.push(at(`give at least one of ${list(choices)}; none was given`, names));
    }
  }

  // Exactly one of several variants, told apart by what each requires beyond the others
  // (a percentage coupon needs `percentage`, a flat-amount one `amount_in_cents`).
  if (isObject(value) && node.oneOf?.length && !node.oneOf.every(requiredOnly) && !node.discriminator) {
    const own = node.oneOf.map(requiredOf);
    const shared = own.reduce((common, names) => common.filter((name) => names.includes(name)));
    const marks = own.map((names) => names.filter((name) => !shared.includes(name)));
    if (marks.every((names) => names.length > 0)) {
      const matched = marks.filter((names) => names.every((name) => name in value));
      if (matched.length !== 1) {
        const given = [...new Set(marks.flat().filter((name) => name in value))];
        const got = given.length === 0 ? "none was given" : `got ${list(given, "and")}`;
        found.push(at(`give exactly one of ${list(marks.map((names) => names.join(" with ")))}; ${got}`, marks.flat()));
      }
    }
  }

  // A union told apart by a property (`flow.type`): judge the value against its own variant only.
  if (isObject(value) && node.oneOf?.length && node.discriminator?.propertyName) {
    found.push(...discriminated(node, value, path, at));
  }

  // "This needs that": an `if` whose `then` asks for constants (`create_prorations` needs
  // `mode: immediately`); the validator only says that `mode` must be equal to a constant.
  if (isObject(value) && node.if && node.then && matchesSimple(node.if, value) && !matchesSimple(node.then, value)) {
    found.push({ ...at(`${describeSimple(node.if)} needs ${describeSimple(node.then)}`, Object.keys(node.then.properties ?? {})), onThen: true });
  }

  // "At most one of": a `not` that requires them all. Where the `not` also names values
  // (`cancel_at_end_of_period: true` with `next_billing_at`), only those values clash.
  if (isObject(value) && node.not && requiredOf(node.not).length > 1) {
    const names = requiredOf(node.not);
    const valued = Object.entries(node.not.properties ?? {}).filter(([, property]) => property.enum || "const" in property);
    const clashes = valued.every(([name, property]) => !(name in value) || (property.enum ?? [property.const]).some((allowed) => allowed === value[name]));
    if (names.every((name) => name in value) && clashes) {
      const [first] = valued;
      found.push(
        first
          ? at(`${first[0]} ${JSON.stringify(value[first[0]])} does not go with ${list(names.filter((name) => name !== first[0]), "and")}`, names)
          : at(`give at most one of ${list(names)}; got ${list(names, "and")}`, names),
      );
    }
  }

  // An enum that mixes types (`true`, `1`, `"1"`): the validator's list prints them all alike.
  if (node.enum && new Set(node.enum.map(String)).size < node.enum.length && !node.enum.some((allowed) => allowed === value)) {
    found.push({ ...at(`must be one of ${node.enum.map((allowed) => JSON.stringify(allowed)).join(", ")}; got ${JSON.stringify(value)}`, []), onEnum: true });
  }

  if (Array.isArray(value) && node.contains && typeof node.maxContains === "number") {
    const indexes = value.flatMap((item, index) => (matchesSimple(node.contains!, item) ? [index] : []));
    if (indexes.length > node.maxContains) {
      const what = describeSimple(node.contains);
      const most = node.maxContains === 1 ? "one item" : `${node.maxContains} items`;
      found.push({ ...at(`at most ${most} may have ${what}; items ${list(indexes.map(String), "and")} do`, Object.keys(node.contains.properties ?? {})), onItems: true });
    }
  }

  if (isObject(value)) {
    for (const [name, property] of Object.entries(node.properties ?? {})) {
      if (name in value) found.push(...ruleViolations(property, value[name], [...path, name]));
    }
  }
  if (Array.isArray(value) && node.items) {
    value.forEach((item, index) => found.push(...ruleViolations(node.items, item, [...path, String(index)])));
  }
  return found;
}

/**
 * The validator's messages that a named rule already explains: at the same place, its `oneOf`,
 * `contains` verdicts and the "must have required property" of each branch of the rule.
 */
export function explainedByRules(violation: Violation, rules: RuleViolation[]): boolean {
  const place = violation.location.join(".");
  return rules.some((rule) => {
    if (rule.onItems && rule.location.join(".") === place) return violation.code === "contains" || violation.code === "maxContains";
    if (rule.onItems) {
      // "must have required property 'primary'" (or its const) on each item that is not the one.
      const [item, ...rest] = violation.location.slice(rule.location.length);
      const within = place.startsWith(`${rule.location.join(".")}.`) && /^\d+$/.test(item ?? "");
      return within && (rest.length === 0 || rule.about.includes(rest[0]!)) && rule.about.some((name) => violation.message.includes(name) || rest[0] === name);
    }
    if (rule.keep) {
      const base = rule.location.join(".");
      if (place === base) return true;
      if (!place.startsWith(`${base}.`)) return false;
      const [property] = violation.location.slice(rule.location.length);
      return !rule.keep.includes(property!) || (violation.code === "const" && violation.location.length === rule.location.length + 1);
    }
    if (rule.onThen) {
      const [property, ...rest] = violation.location.slice(rule.location.length);
      if (rest.length === 0 && property !== undefined && rule.about.includes(property) && place.startsWith(rule.location.join("."))) return true;
    }
    if (rule.location.join(".") !== place) return false;
    if (rule.onEnum) return violation.code === "enum";
    if (violation.code === "unevaluatedProperties") return rule.about.some((name) => violation.message.endsWith(`'${name}'`));
    if (["oneOf", "anyOf", "not", "contains", "maxContains"].includes(String(violation.code))) return true;
    return violation.code === "required" && rule.about.some((name) => violation.message.endsWith(`'${name}'`));
  });
}

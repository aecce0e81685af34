/**
 * Turns Prism's request diagnostics into the body the API would send: its own `{"errors": ...}`
 * shape, with one message per problem that names the field. Prism's mocker would answer with the
 * operation's canned 422 example instead, which says nothing about what was wrong.
 */
import { DiagnosticSeverity } from "@stoplight/types";

/**
 * The part of a Prism diagnostic read here. Declared in this package so its public types do not
 * pull in Prism's, which import `pino` without types and fail a consumer's `skipLibCheck: false`.
 */
export interface Diagnostic {
  path?: readonly (string | number)[];
  code?: string | number;
  message: string;
  severity: DiagnosticSeverity;
}

export interface Violation {
  /** Where the problem is: `["request", "body", "payment_profile", "expiration_month"]`. */
  location: string[];
  message: string;
  severity: string;
  code?: string | number;
}

/**
 * The shapes the API's error bodies take: `{"errors": ["..."]}` (list), `{"errors": {"field": "..."}}`
 * (map), `{"errors": {"subscriptions": {"0": {"field": ["..."]}}, "subscription_group": ["..."]}}`
 * (nested, keyed by index as the group signup does), `{"errors": "..."}` (text) and, with no `errors`
 * wrapper at all, `{"codes": ["..."]}` (keyed, as applyCouponsToSubscription answers). The mock answers
 * in the first one the operation's documented error schema accepts.
 */
export const errorShapes = ["list", "nested", "map", "text", "keyed"] as const;
export type ErrorShape = (typeof errorShapes)[number];

/** Prism's request-side diagnostics that are errors (not warnings), as violations. */
export function requestViolations(diagnostics: readonly Diagnostic[]): Violation[] {
  return diagnostics
    // An `if` verdict only says a `then`/`else` failed; that branch's own errors say how.
    .filter((d) => d.severity === DiagnosticSeverity.Error && d.code !== "if")
    .map((d) => ({
      location: ["request", ...(d.path ?? []).map(String)],
      severity: "Error",
      message: d.message,
      ...(d.code !== undefined ? { code: d.code } : {}),
    }));
}

/**
 * One sentence per violation. Prism's messages usually name the parameter already ("Request query
 * parameter auto_invite must be ..."); body violations do not, so they get their JSON path in front.
 */
export function describeViolation(violation: Violation): string {
  const where = violation.location.slice(1);
  const field = where[where.length - 1];
  if (where.length === 0 || (field !== undefined && violation.message.includes(field))) return violation.message;
  return `${where.join(".")}: ${violation.message}`;
}

/** The error body for `violations`, in one of the API's shapes. */
export function violationsBody(shape: ErrorShape, violations: Violation[]): Record<string, unknown> {
  if (shape === "list") return { errors: listMessages(violations) };
  if (shape === "keyed") {
    const byParameter: Record<string, string[]> = {};
    for (const violation of violations) {
      // Keyed by the body property or the query parameter the message is about.
      const messages = (byParameter[violation.location[2] ?? "request"] ??= []);
      if (!messages.includes(describeViolation(violation))) messages.push(describeViolation(violation));
    }
    return byParameter;
  }
  if (shape === "text") return { errors: listMessages(violations).join(" ") };
  if (shape === "map") {
    const byField: Record<string, string> = {};
    for (const violation of violations) {
      const field = fieldOf(violation).join(".") || "request";
      byField[field] = byField[field] ? `${byField[field]}; ${violation.message}` : violation.message;
    }
    return { errors: byField };
  }
  const nested: Record<string, unknown> = {};
  for (const violation of violations) {
    const where = violation.location.slice(1);
    const [wrapper = "request", ...inside] = where[0] === "body" ? where.slice(1) : where;
    const index = inside.findIndex((part) => /^\d+$/.test(part));
    if (index === -1) {
      const messages = (nested[wrapper] ??= []) as string[];
      if (!messages.includes(describeViolation(violation))) messages.push(describeViolation(violation));
    } else {
      const collection = (nested[inside.slice(0, index).join(".")] ??= {}) as Record<string, Record<string, string[]>>;
      const item = (collection[inside[index]!] ??= {});
      const messages = (item[inside.slice(index + 1).join(".") || "base"] ??= []);
      if (!messages.includes(violation.message)) messages.push(violation.message);
    }
  }
  return { errors: nested };
}

/** The field a violation is about, as the API keys it (`payment_profile`, not `body.payment_profile`). */
function fieldOf(violation: Violation): string[] {
  const where = violation.location.slice(1);
  return where[0] === "body" ? where.slice(1) : where;
}

/**
 * The messages once each, the verdict first: a body that fits none of a `oneOf`'s branches yields
 * the failures of every branch, often the same ones several times.
 */
function listMessages(violations: Violation[]): string[] {
  const verdicts = violations.filter((v) => v.code === "oneOf");
  const details = violations.filter((v) => !verdicts.includes(v));
  return [...new Set([...verdicts, ...details].map(describeViolation))];
}

type ErrorSchema = {
  type?: string | string[];
  properties?: Record<string, ErrorSchema>;
  required?: string[];
  items?: ErrorSchema;
  oneOf?: ErrorSchema[];
  anyOf?: ErrorSchema[];
  allOf?: ErrorSchema[];
};

/**
 * The messages in the smallest body a documented error schema accepts, for an operation whose error
 * shape is its own (`{"errors": {"members": [...]}}`): down its required properties (or its first
 * one) to the first place that takes a list of messages or one. Undefined when there is none.
 */
export function fitToSchema(schema: unknown, messages: string[]): unknown {
  const node = (schema ?? {}) as ErrorSchema;
  const types = Array.isArray(node.type) ? node.type : node.type ? [node.type] : [];
  for (const branch of [...(node.oneOf ?? []), ...(node.anyOf ?? [])]) {
    const fitted = fitToSchema(branch, messages);
    if (fitted !== undefined) return fitted;
  }
  if (types.includes("array") && acceptsString(node.items)) return messages;
  if (types.includes("string")) return messages.join(" ");
  const properties = { ...Object.assign({}, ...(node.allOf ?? []).map((part) => part.properties ?? {})), ...(node.properties ?? {}) } as Record<string, ErrorSchema>;
  if (!types.includes("object") && Object.keys(properties).length === 0) return undefined;
  const required = [...(node.required ?? []), ...(node.allOf ?? []).flatMap((part) => part.required ?? [])];
  const keys = required.length > 0 ? required : Object.keys(properties).slice(0, 1);
  const body: Record<string, unknown> = {};
  for (const key of keys) {
    const fitted = fitToSchema(properties[key], messages);
    if (fitted === undefined) return undefined;
    body[key] = fitted;
  }
  return keys.length > 0 ? body : undefined;
}

function acceptsString(schema: ErrorSchema | undefined): boolean {
  if (!schema) return true;
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  return types.includes("string") || [...(schema.oneOf ?? []), ...(schema.anyOf ?? [])].some(acceptsString);
}

/** The messages of a refusal, once each: what `fitToSchema` places in an operation's own shape. */
export const refusalMessages = listMessages;

/**
 * Turns Prism's request diagnostics into the body the API would send: its own `{"errors": ...}`
 * shape, with one message per problem that names the field. Prism's mocker would answer with the
 * operation's canned 422 example instead, which says nothing about what was wrong.
 */
import type { IPrismDiagnostic } from "@stoplight/prism-core";
import { DiagnosticSeverity } from "@stoplight/types";

export interface Violation {
  /** Where the problem is: `["request", "body", "payment_profile", "expiration_month"]`. */
  location: string[];
  message: string;
  severity: string;
  code?: string | number;
}

/** How an operation's documented error lists its messages: `{"errors": [...]}` or `{"errors": {field: msg}}`. */
export type ErrorShape = "list" | "map";

/** Prism's request-side diagnostics that are errors (not warnings), as violations. */
export function requestViolations(diagnostics: readonly IPrismDiagnostic[]): Violation[] {
  return diagnostics
    .filter((d) => d.severity === DiagnosticSeverity.Error)
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

/** The error body for `violations`, in the operation's documented shape. */
export function violationsBody(shape: ErrorShape, violations: Violation[]): { errors: string[] | Record<string, string> } {
  if (shape === "list") return { errors: listMessages(violations) };
  const byField: Record<string, string> = {};
  for (const violation of violations) {
    // Keyed by the field as the API keys it (`payment_profile`), not by where it sits in the request.
    const where = violation.location.slice(1);
    const field = (where[0] === "body" ? where.slice(1) : where).join(".") || "request";
    byField[field] = byField[field] ? `${byField[field]}; ${violation.message}` : violation.message;
  }
  return { errors: byField };
}

/** The shape of a documented error example: a map when its `errors` is an object, else a list. */
export function shapeOf(example: unknown): ErrorShape {
  const errors = (example as { errors?: unknown } | null | undefined)?.errors;
  return errors !== null && typeof errors === "object" && !Array.isArray(errors) ? "map" : "list";
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

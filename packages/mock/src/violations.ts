/**
 * Prism answers an invalid request with the operation's own documented 422 (or 400) example, which
 * says nothing about what was wrong; the real reasons travel only in its `sl-violations` header.
 * This module puts them into the body, in the shape the operation documents, so a team's test that
 * sends a bad request sees exactly why it was refused.
 */

export interface Violation {
  location: string[];
  message: string;
  severity: string;
  code?: string | number;
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

/** The request-side errors from an `sl-violations` header, or none when it is absent or unreadable. */
export function requestViolations(header: string | undefined): Violation[] {
  if (!header) return [];
  try {
    const parsed: unknown = JSON.parse(header);
    if (!Array.isArray(parsed)) return [];
    return parsed.filter(
      (v): v is Violation =>
        typeof v === "object" &&
        v !== null &&
        Array.isArray(v.location) &&
        v.location[0] === "request" &&
        v.severity === "Error" &&
        typeof v.message === "string",
    );
  } catch {
    return [];
  }
}

/**
 * The body to send instead of Prism's canned example, or `undefined` to keep it. The shape follows
 * the documented example's: `{"errors": ["..."]}` when its `errors` is a list, `{"errors":
 * {"field": "..."}}` when it is a map of strings. Prism's own problem+json (which already lists the
 * violations) and every other status pass through untouched.
 */
export function explainInvalidRequest(
  status: number,
  contentType: string | undefined,
  body: string,
  violations: Violation[],
): string | undefined {
  if (violations.length === 0 || (status !== 400 && status !== 422)) return undefined;
  if (!contentType?.startsWith("application/json")) return undefined;
  let documented: unknown;
  try {
    documented = JSON.parse(body);
  } catch {
    return undefined;
  }
  const errors = (documented as { errors?: unknown } | null)?.errors;
  if (Array.isArray(errors)) {
    return JSON.stringify({ errors: listMessages(violations) });
  }
  if (errors && typeof errors === "object") {
    const byField: Record<string, string> = {};
    for (const violation of violations) {
      const field = violation.location.slice(1).join(".") || "request";
      byField[field] = byField[field] ? `${byField[field]}; ${violation.message}` : violation.message;
    }
    return JSON.stringify({ errors: byField });
  }
  return JSON.stringify({ errors: listMessages(violations) });
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

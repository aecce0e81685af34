/**
 * The messages of an error, whatever its shape. The API sends errors in several shapes, all
 * documented in the spec: `{"errors": [...]}`, `{"errors": {...}}` (keyed by field, maps nested
 * by position and field), `{"errors": "..."}`, `{"error": "..."}`, messages keyed by parameter
 * without a wrapper (`{"coupon_code": [...]}`), the JSON:API 3-D Secure 422, and the plain-text 401.
 */
import type { OperationError } from "../errors.js";
import type { operations } from "../generated/openapi.js";

/** Every documented error body of the API: the union of the error bodies of all its operations. */
export type BillingErrorBody = { [Id in keyof operations]: OperationError<operations[Id]>["body"] }[keyof operations];

/** What `errorMessages` and `errorDetails` read: a named method's `error`, or an error body itself. */
export type ErrorLike = { status: number; body: BillingErrorBody } | BillingErrorBody | undefined;

/** One message, and the field it is about where the shape says (`"customer"`, `"subscriptions.0.product"`). */
export interface ErrorDetail {
  field?: string;
  message: string;
}

// Not a message: the management link's 429 gives the time a new link is available beside its
// `error` (the client puts it on `error.retryAt`).
const notMessages = new Set(["new_link_available_at"]);

function detailsIn(value: unknown, field: string | undefined, into: ErrorDetail[]): ErrorDetail[] {
  if (typeof value === "string") {
    const message = value.trim();
    if (message) into.push(field === undefined ? { message } : { field, message });
  } else if (Array.isArray(value)) {
    for (const item of value) {
      // An entry of objects: a JSON:API error (`title`, with `detail` the long instructions) or a
      // group member's error (`id`, `type`, `message`).
      const entry = item as { message?: unknown; title?: unknown } | null;
      detailsIn(typeof entry === "object" && entry !== null ? (entry.message ?? entry.title) : item, field, into);
    }
  } else if (typeof value === "object" && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      if (notMessages.has(key)) continue;
      // `error` names no field: it is the message of the map it is in.
      detailsIn(item, key === "error" ? field : field === undefined ? key : `${field}.${key}`, into);
    }
  }
  return into;
}

function bodyOf(error: ErrorLike): unknown {
  // No documented error body has a `body` key: one that does is a `{ status, body }` error.
  return typeof error === "object" && error !== null && "body" in error ? error.body : error;
}

/**
 * Every message of an error with the field it is about, where the shape names one:
 *
 * ```ts
 * errorDetails({ errors: { customer: "can't be blank" } }); // [{ field: "customer", message: "can't be blank" }]
 * errorDetails({ errors: ["Memo: cannot be blank."] });     // [{ message: "Memo: cannot be blank." }]
 * ```
 *
 * Takes a named method's `error` (or `errorOf(result)`), or an error body (the `error` of the
 * path-based methods). Keys beside `errors` (`gateway_payment_id`, `jsonapi`) are not messages.
 */
export function errorDetails(error: ErrorLike): ErrorDetail[] {
  const body = bodyOf(error);
  if (typeof body === "object" && body !== null && !Array.isArray(body)) {
    const wrapped = body as { errors?: unknown; error?: unknown };
    if ("errors" in wrapped) return detailsIn(wrapped.errors, undefined, []);
    if ("error" in wrapped) return detailsIn(wrapped.error, undefined, []);
  }
  return detailsIn(body, undefined, []);
}

/**
 * Every message of an error as a flat list of sentences to show or log, each prefixed with its
 * field where the shape names one (`"customer: can't be blank"`). An empty list for `undefined`.
 *
 * ```ts
 * const { error } = await billing.subscriptions.applyCouponsToSubscription({ subscription_id: 222, code: "SPRING5" });
 * if (error) console.log(errorMessages(error).join("; ")); // coupon_code: Coupon code could not be found.
 * ```
 */
export function errorMessages(error: ErrorLike): string[] {
  return errorDetails(error).map(({ field, message }) => (field === undefined ? message : `${field}: ${message}`));
}

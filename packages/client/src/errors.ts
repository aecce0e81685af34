import type { FetchResponse, Middleware } from "openapi-fetch";
import { retryAtOf } from "./retry-at.js";

type IsErrorStatus<S> = S extends number ? (`${S}` extends `2${string}` | `1${string}` | `3${string}` ? never : S) : never;
type ErrorStatus<Responses> = { [S in keyof Responses]: IsErrorStatus<S> }[keyof Responses];
type BodyOf<Response> = Response extends { content: infer Content }
  ? Content[keyof Content]
  : undefined;

/** What every error carries besides its status and body. */
export interface ErrorTiming {
  /**
   * When the call may succeed again, as the server stated it: its `Retry-After` header (seconds or
   * an HTTP date), or the management link's `errors.new_link_available_at`. Absent when the server
   * did not say. A stated wait longer than the retries' `maxDelayMs` is not retried: the error comes
   * back at once with this time, so the caller can schedule the call rather than wait for it.
   */
  retryAt?: Date;
}

/**
 * The documented errors of an operation as a union discriminated by HTTP status:
 * `{ status: 429; body: TooManyManagementLinkRequestsError } | { status: 401; body: string } | ...`,
 * each with `retryAt` when the server said when to try again.
 */
export type OperationError<Operation> = Operation extends { responses: infer Responses }
  ? { [S in ErrorStatus<Responses>]: { status: S; body: BodyOf<Responses[S]> } & ErrorTiming }[ErrorStatus<Responses>]
  : never;

/**
 * The error of a call as a value typed by status, or `undefined` when the call succeeded. Call it on
 * the whole result, before branching on `data`, and the status narrows the body:
 *
 * ```ts
 * const failure = errorOf(result);
 * if (failure?.status === 429) failure.body.errors.new_link_available_at; // also failure.retryAt
 * ```
 *
 * On a result TypeScript has already narrowed to its error branch (`if (result.data) ... else`),
 * the operation is no longer known: the body is then the union of the documented error bodies.
 */
export function errorOf<Operation extends Record<string | number, any>, Options, Media extends `${string}/${string}`>(
  result: FetchResponse<Operation, Options, Media>,
): OperationError<Operation> | undefined;
export function errorOf<Body>(result: { error?: Body; response: Response }): ({ status: number; body: NonNullable<Body> } & ErrorTiming) | undefined;
export function errorOf(result: { error?: unknown; response: Response }): ({ status: number; body: unknown } & ErrorTiming) | undefined {
  if (result.response.ok) return undefined;
  const error: { status: number; body: unknown } & ErrorTiming = { status: result.response.status, body: result.error };
  const retryAt = retryAtOf(result.response.headers, result.error, Date.now());
  if (retryAt) error.retryAt = retryAt;
  return error;
}

/**
 * Gives an error response with an empty body the usual `{"errors": [...]}` shape, so `error` is never
 * an empty (falsy) string: Advanced Billing sends some 404s with no body at all.
 */
export const emptyErrorBodies: Middleware = {
  async onResponse({ response }) {
    if (response.ok || response.status === 304) return undefined;
    const text = await response.clone().text();
    if (text.trim() !== "") return undefined;
    const headers = new Headers(response.headers);
    headers.set("content-type", "application/json");
    headers.delete("content-length");
    const message = `${response.status} ${response.statusText}`.trim();
    return new Response(JSON.stringify({ errors: [message] }), {
      status: response.status,
      statusText: response.statusText,
      headers,
    });
  },
};

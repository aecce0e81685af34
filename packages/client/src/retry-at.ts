/**
 * When the server says a refused call may succeed again. It says so in a `Retry-After` header, or,
 * for the management link's 429, in the body's documented `errors.new_link_available_at`. Read by
 * the retries (a wait beyond `maxDelayMs` is not waited for) and put on the error as `retryAt`.
 * Kept out of the core entry point, which honours `Retry-After` only, to keep that bundle small.
 */
import { retryAfterMs } from "./resilience.js";

/** The time (ms since the epoch) a parsed error body gives for a new attempt, if it gives one. */
function bodyRetryAt(body: unknown): number | undefined {
  const errors = (body as { errors?: { new_link_available_at?: unknown } } | null | undefined)?.errors;
  const at = typeof errors?.new_link_available_at === "string" ? Date.parse(errors.new_link_available_at) : NaN;
  return Number.isNaN(at) ? undefined : at;
}

/**
 * How long a retryable answer asks in its body to be waited for, in ms: read from a clone, and only
 * when it is JSON, so the caller still reads the body whole. (`Retry-After` is read before this.)
 */
export async function bodyWaitMs(response: Response, now: number): Promise<number | undefined> {
  if (!/\bjson\b/.test(response.headers.get("content-type") ?? "")) return undefined;
  const at = bodyRetryAt(
    await response
      .clone()
      .json()
      .catch(() => undefined),
  );
  return at === undefined ? undefined : Math.max(0, at - now);
}

/** When an error answer says the call may succeed again: its `Retry-After`, else its body's time. */
export function retryAtOf(headers: Headers, body: unknown, now: number): Date | undefined {
  const asked = retryAfterMs(headers.get("retry-after"), now);
  const at = asked === undefined ? bodyRetryAt(body) : now + asked;
  return at === undefined ? undefined : new Date(at);
}

/**
 * Timeouts and retries, as a fetch wrapper openapi-fetch calls for every request. Only idempotent
 * methods are retried (a POST only when the caller opts in), on 429/502/503/504 and network errors,
 * with exponential backoff and full jitter, never sooner than the server asks, and not at all when
 * it asks for a longer wait than `maxDelayMs`: the answer is then returned at once.
 */

export interface RetryOptions {
  /** Retries after the first attempt. 0 turns retrying off. Default 2. */
  retries?: number;
  /** The first backoff step; each retry doubles it (before jitter). Default 250 ms. */
  baseDelayMs?: number;
  /**
   * The longest wait between attempts. An answer that asks for a longer one (`Retry-After`, or the
   * management link's `new_link_available_at`) is returned at once, not retried. Default 10 s.
   */
  maxDelayMs?: number;
  /** Retry POST too. Only for a create you know is safe to repeat. Default false. */
  post?: boolean;
}

export interface ResilienceOptions {
  /** How long one attempt may take before it is abandoned. Default 30 s; 0 for none. */
  timeoutMs?: number | undefined;
  /** Retry options, or `false` to never retry. */
  retry?: RetryOptions | false | undefined;
}

/** What the resilient fetch needs from its surroundings; tests inject a clock and dice. */
export interface ResilienceRuntime {
  /** An injected fetch; the platform's when absent. */
  fetch?: ((request: Request) => Promise<Response>) | undefined;
  sleep?: ((ms: number, signal?: AbortSignal) => Promise<void>) | undefined;
  random?: (() => number) | undefined;
  now?: (() => number) | undefined;
  /** Removes secrets (the API key) from any text that leaves the client. */
  redact?: ((text: string) => string) | undefined;
  /**
   * How long a retryable answer without a `Retry-After` asks, in its body, to be waited for (ms).
   * The whole client reads the management link's `new_link_available_at` (see retry-at.ts).
   */
  bodyWaitMs?: ((response: Response, now: number) => Promise<number | undefined>) | undefined;
}

export const defaultTimeoutMs = 30_000;
const defaultRetry: Required<RetryOptions> = { retries: 2, baseDelayMs: 250, maxDelayMs: 10_000, post: false };
const retryableStatuses = new Set([429, 502, 503, 504]);
const idempotent = new Set(["GET", "HEAD", "PUT", "DELETE"]);

/** A request that never got a response: the network failed, or every attempt timed out. */
export class BillingNetworkError extends Error {
  override name = "BillingNetworkError";
  declare readonly method: string;
  declare readonly url: string;
  declare readonly attempts: number;
  constructor(message: string, method: string, url: string, attempts: number) {
    super(message);
    Object.assign(this, { method, url, attempts });
  }
}

/** An attempt took longer than `timeoutMs` (after any retries). */
export class BillingTimeoutError extends BillingNetworkError {
  override name = "BillingTimeoutError";
}

const sleepFor = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => (clearTimeout(timer), reject(signal.reason)), { once: true });
  });

/** The delay a `Retry-After` header asks for, in ms: seconds, or an HTTP date. */
export function retryAfterMs(value: string | null, now: number): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return +text * 1000;
  const date = Date.parse(text);
  return date ? Math.max(0, date - now) : undefined;
}

/**
 * Sends a request with a per-attempt timeout and the retry rules above. `send` makes one attempt
 * with the signal it is given; `callerSignal` is the caller's own abort, passed through as is.
 */
export async function sendResiliently(
  runtime: ResilienceRuntime,
  options: ResilienceOptions,
  method: string,
  url: string,
  send: (signal: AbortSignal) => Promise<Response>,
  callerSignal?: AbortSignal | null,
): Promise<Response> {
  const { sleep = sleepFor, random = Math.random, now = Date.now, redact = (text: string) => text } = runtime;
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  // `retry: undefined` (a call that does not set it) keeps the defaults.
  const retry = options.retry === false ? { ...defaultRetry, retries: 0 } : { ...defaultRetry, ...options.retry };
  const retries = idempotent.has(method) || (method === "POST" && retry.post) ? retry.retries : 0;
  const backoff = (attempt: number) => random() * Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** attempt);
  const where = url.split("?")[0]!;
  for (let attempt = 0; ; attempt++) {
    const last = attempt >= retries;
    // A timer and controller of our own, held here: a signal from AbortSignal.timeout() is held
    // only weakly by AbortSignal.any() and can be collected before it fires.
    const timeout = new AbortController();
    const timer = timeoutMs > 0 ? setTimeout(() => timeout.abort(), timeoutMs) : undefined;
    const signal = callerSignal ? AbortSignal.any([callerSignal, timeout.signal]) : timeout.signal;
    let response: Response;
    try {
      // Raced against the abort too, so a fetch that ignores its signal still times out.
      response = await Promise.race([send(signal), new Promise<never>((_, reject) => signal.addEventListener("abort", () => reject(signal.reason)))]);
    } catch (error) {
      if (callerSignal?.aborted) throw callerSignal.reason;
      if (last) {
        const timedOut = timeout.signal.aborted;
        const why = timedOut ? `timed out after ${timeoutMs} ms` : `failed: ${redact(String((error as Error)?.message ?? error))}`;
        const Failure = timedOut ? BillingTimeoutError : BillingNetworkError;
        throw new Failure(`${method} ${where} ${why}${attempt > 0 ? ` (${attempt + 1} attempts)` : ""}`, method, where, attempt + 1);
      }
      await sleep(backoff(attempt), callerSignal ?? undefined);
      continue;
    } finally {
      clearTimeout(timer);
    }
    if (last || !retryableStatuses.has(response.status)) return response;
    const asked = retryAfterMs(response.headers.get("retry-after"), now()) ?? (await runtime.bodyWaitMs?.(response, now()));
    if (asked !== undefined && asked > retry.maxDelayMs) return response;
    await response.body?.cancel();
    await sleep(Math.max(asked ?? 0, backoff(attempt)), callerSignal ?? undefined);
  }
}

/** `runtime.fetch` with the timeout and retries, as the fetch of the path-based client. */
export function resilientFetch(runtime: ResilienceRuntime, options: ResilienceOptions = {}): (request: Request) => Promise<Response> {
  return (request) =>
    sendResiliently(runtime, options, request.method.toUpperCase(), request.url, (signal) => (runtime.fetch ?? fetch)(new Request(request.clone(), { signal })), request.signal);
}

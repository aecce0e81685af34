/**
 * Timeouts and retries, as a fetch wrapper openapi-fetch calls for every request. Only idempotent
 * methods are retried (a POST only when the caller opts in), on 429/502/503/504 and network errors,
 * with exponential backoff and full jitter, and never sooner than a `Retry-After` asks.
 */

export interface RetryOptions {
  /** Retries after the first attempt. 0 turns retrying off. Default 2. */
  retries?: number;
  /** The first backoff step; each retry doubles it (before jitter). Default 250 ms. */
  baseDelayMs?: number;
  /** The longest wait between attempts; a `Retry-After` beyond it is not waited for. Default 10 s. */
  maxDelayMs?: number;
  /** Retry POST too. Only for a create you know is safe to repeat. Default false. */
  post?: boolean;
}

export interface ResilienceOptions {
  /** How long one attempt may take before it is abandoned. Default 30 s; 0 for none. */
  timeoutMs?: number;
  /** Retry options, or `false` to never retry. */
  retry?: RetryOptions | false;
}

/** What the resilient fetch needs from its surroundings; tests inject a clock and dice. */
export interface ResilienceRuntime {
  fetch: (request: Request) => Promise<Response>;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
  now?: () => number;
  /** Removes secrets (the API key) from any text that leaves the client. */
  redact?: (text: string) => string;
}

export const defaultTimeoutMs = 30_000;
const defaultRetry: Required<RetryOptions> = { retries: 2, baseDelayMs: 250, maxDelayMs: 10_000, post: false };
const retryableStatuses = new Set([429, 502, 503, 504]);
const idempotent = new Set(["GET", "HEAD", "OPTIONS", "PUT", "DELETE"]);

/** A request that never got a response: the network failed, or every attempt timed out. */
export class BillingNetworkError extends Error {
  override name = "BillingNetworkError";
  constructor(
    message: string,
    readonly method: string,
    readonly url: string,
    readonly attempts: number,
  ) {
    super(message);
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
  if (value === null || value.trim() === "") return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Wraps `runtime.fetch` with a per-attempt timeout and the retry rules above. */
export function resilientFetch(runtime: ResilienceRuntime, options: ResilienceOptions = {}): (request: Request) => Promise<Response> {
  const sleep = runtime.sleep ?? sleepFor;
  const random = runtime.random ?? Math.random;
  const now = runtime.now ?? Date.now;
  const redact = runtime.redact ?? ((text: string) => text);
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  const retry = options.retry === false ? { ...defaultRetry, retries: 0 } : { ...defaultRetry, ...options.retry };

  return async (request) => {
    const method = request.method.toUpperCase();
    const mayRetry = idempotent.has(method) || (method === "POST" && retry.post);
    const retries = mayRetry ? retry.retries : 0;
    const where = new URL(request.url);
    where.username = where.password = "";
    const label = `${method} ${where.origin}${where.pathname}`;
    for (let attempt = 0; ; attempt++) {
      const last = attempt >= retries;
      // A controller and a timer of our own: a signal from AbortSignal.timeout() combined with
      // AbortSignal.any() is held only weakly and can be collected before it fires.
      const controller = new AbortController();
      let timedOut = false;
      const timer = timeoutMs > 0 ? setTimeout(() => ((timedOut = true), controller.abort(new Error("timeout"))), timeoutMs) : undefined;
      const forward = () => controller.abort(request.signal.reason);
      if (request.signal.aborted) forward();
      else request.signal.addEventListener("abort", forward, { once: true });
      let response: Response;
      try {
        // Raced against the abort too, so a fetch that ignores its signal still times out.
        const abandoned = new Promise<never>((_, reject) => controller.signal.addEventListener("abort", () => reject(controller.signal.reason), { once: true }));
        response = await Promise.race([runtime.fetch(new Request(request.clone(), { signal: controller.signal })), abandoned]);
      } catch (error) {
        if (request.signal.aborted) throw request.signal.reason;
        if (last) {
          const why = timedOut ? `timed out after ${timeoutMs} ms` : `failed: ${redact(String((error as Error)?.message ?? error))}`;
          const Failure = timedOut ? BillingTimeoutError : BillingNetworkError;
          throw new Failure(`${label} ${why}${attempt > 0 ? ` (${attempt + 1} attempts)` : ""}`, method, where.href, attempt + 1);
        }
        await sleep(backoff(attempt), request.signal);
        continue;
      } finally {
        clearTimeout(timer);
        request.signal.removeEventListener("abort", forward);
      }
      if (last || !retryableStatuses.has(response.status)) return response;
      const asked = retryAfterMs(response.headers.get("retry-after"), now());
      if (asked !== undefined && asked > retry.maxDelayMs) return response;
      await response.body?.cancel();
      await sleep(Math.max(asked ?? 0, backoff(attempt)), request.signal);
    }
  };

  function backoff(attempt: number): number {
    return random() * Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** attempt);
  }
}

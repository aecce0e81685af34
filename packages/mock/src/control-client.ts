/**
 * A typed client for the stateful mock's control routes (`/__mock/reset`, `/__mock/state`,
 * `/__mock/clock`), for one base URL and namespace, from any test file or process. It needs only
 * `fetch`: importing it (`@billing-api/mock/control`) never loads Prism, so test files stay fast.
 */

import type { ClockSummary, TimeChange } from "./stateful/time-step.js";

/**
 * One thing the clock's time step did to one record. `events` are the Advanced Billing webhook
 * events the API emits for it (`renewal_success`, `payment_failure`, `subscription_state_change`, ...).
 */
export type MockTimeChange = TimeChange;

/** The clock's answer: the namespace's new time and what happened on the way there. */
export type MockClockSummary = ClockSummary;

/** A namespace's resources, as `GET /__mock/state` shows them. */
export interface MockState {
  namespace: string;
  /** The namespace's clock. */
  now: string;
  /** By kind (`customer`, `subscription`, ...), then id. */
  resources: Record<string, Record<string, Record<string, unknown>>>;
}

export interface MockControlOptions {
  /** The namespace (`Mock-Namespace` header); the mock's default namespace when absent. */
  namespace?: string;
  /** Defaults to the global `fetch`. */
  fetch?: typeof fetch;
}

export interface MockControl {
  readonly namespace: string | undefined;
  /** Back to the seeds and real time. */
  reset(): Promise<void>;
  /** Every resource of the namespace, and its time. */
  state(): Promise<MockState>;
  clock: {
    now(): Promise<Date>;
    /** Moves the clock forward to `now` and runs what falls due on the way (a time before now is refused). */
    set(now: Date | string): Promise<MockClockSummary>;
    /** Moves the clock forward by `seconds` (never back) and runs what falls due on the way. */
    advance(seconds: number): Promise<MockClockSummary>;
  };
}

/** A control route refused the call; `status` and `errors` are the mock's answer. */
export class MockControlError extends Error {
  constructor(
    readonly status: number,
    readonly errors: string[],
  ) {
    super(`The mock refused (${status}): ${errors.join(" ")}`);
    this.name = "MockControlError";
  }
}

/** The control routes of the stateful mock at `baseUrl`, for one namespace. */
export function mockControl(baseUrl: string | URL, options: MockControlOptions = {}): MockControl {
  const base = String(baseUrl).replace(/\/+$/, "");
  const { namespace } = options;
  const call = async (method: string, route: string, body?: unknown): Promise<unknown> => {
    const send = options.fetch ?? fetch;
    const response = await send(`${base}/__mock/${route}`, {
      method,
      headers: { ...(namespace === undefined ? {} : { "Mock-Namespace": namespace }), ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = text;
    }
    if (!response.ok) {
      const errors = (parsed as { errors?: unknown } | undefined)?.errors;
      throw new MockControlError(response.status, Array.isArray(errors) ? errors.map(String) : [String(text || response.statusText)]);
    }
    return parsed;
  };
  return {
    namespace,
    reset: async () => void (await call("POST", "reset")),
    state: async () => (await call("GET", "state")) as MockState,
    clock: {
      now: async () => new Date(((await call("GET", "clock")) as { now: string }).now),
      set: async (now) => (await call("POST", "clock", { now: new Date(now).toISOString() })) as MockClockSummary,
      advance: async (seconds) => (await call("POST", "clock", { advance_seconds: seconds })) as MockClockSummary,
    },
  };
}

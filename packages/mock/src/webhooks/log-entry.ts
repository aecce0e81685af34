/**
 * One webhook in a namespace's log, kept small: each event's payload once, as the JSON of the
 * records it is read from, and every time as milliseconds of the namespace's clock. A busy mock logs
 * thousands of webhooks a second and reads the log seldom, so the text a reader sees (ISO times, the
 * body and its signatures) is made when the log is read (`view`), not when a webhook is logged or
 * attempted.
 */
import { iso } from "../stateful/call.js";
import { outcomeError, type Outcome } from "./delivery.js";

/** Seconds after each failed attempt before the next one; five attempts in all. */
export const retrySchedule = [10, 15, 90, 180] as const;

export interface Attempt {
  at: string;
  url: string;
  /** The endpoint's status code, or undefined when it did not answer. */
  status?: number;
  error?: string;
}

/** A webhook as `listWebhooks` answers it, plus what the control route shows of its deliveries. */
export interface SentWebhook {
  id: number;
  event: string;
  created_at: string;
  last_error: string | null;
  last_error_at: string | null;
  accepted_at: string | null;
  last_sent_at: string | null;
  last_sent_url: string | null;
  successful: boolean;
  body: string;
  signature: string;
  signature_hmac_sha_256: string;
  /** successful, failed, pending or paused: listWebhooks' `status` filter. */
  status: "successful" | "failed" | "pending" | "paused";
  endpoint_id: number;
  subscription_id?: number;
  attempts: Attempt[];
  /** When the next attempt is due, in the namespace's clock; null when none is. */
  next_attempt_at: string | null;
  /** Why the mock did not send it: its payload broke the spec (a bug in the mock, reported here). */
  problems?: string[];
}

/** A webhook's body and signatures, as the delivery thread made them (form.ts `sealWebhook`). */
export interface Sealed {
  body: string;
  signature: string;
  signatureHmacSha256: string;
}

/** One attempt as kept: when it started (ms, the namespace's clock) and how it ended. */
interface KeptAttempt {
  at: number;
  url: string;
  status: number | undefined;
  error: string | undefined;
}

const time = (ms: number | undefined) => (ms === undefined ? null : iso(new Date(ms)));

export class LogEntry {
  status: SentWebhook["status"] = "pending";
  successful = false;
  readonly attempts: KeptAttempt[] = [];
  lastError: string | null = null;
  lastErrorAt: number | undefined = undefined;
  acceptedAt: number | undefined = undefined;
  /** When the next attempt is due (ms, the namespace's clock), when one is. */
  dueAt: number | undefined = undefined;
  problems: string[] | undefined = undefined;
  /** Its body and signatures, once a reader has needed them. */
  private sealed: Sealed | undefined = undefined;

  constructor(
    readonly id: number,
    readonly event: string,
    readonly endpointId: number,
    /** The JSON of the records the payload is read from, as they were when the event happened. */
    readonly context: string,
    /** ms, the namespace's clock. */
    readonly createdAt: number,
    readonly subscriptionId: number | undefined,
  ) {}

  /** The judge refused its payload (a bug in the mock): shown in the log, never sent. */
  refuse(problems: string[]): void {
    this.status = "failed";
    this.problems = problems;
    this.lastError = `The mock's payload breaks the spec: ${problems.join("; ")}`;
    this.lastErrorAt = this.createdAt;
  }

  /** Sent again by a replay: accepted again only when an attempt is. */
  replay(): void {
    this.acceptedAt = undefined;
    this.status = "pending";
  }

  /** One ended attempt (times in ms of the namespace's clock); whether a retry is due. */
  record(url: string, startedAt: number, endedAt: number, outcome: Outcome): boolean {
    this.attempts.push({ at: startedAt, url, status: outcome.status, error: outcome.error });
    const error = outcomeError(outcome);
    if (error === undefined) {
      this.successful = true;
      this.status = "successful";
      this.acceptedAt = endedAt;
      this.lastError = null;
      this.lastErrorAt = undefined;
      return false;
    }
    const tries = this.attempts.length;
    const wait = retrySchedule[tries - 1];
    this.successful = false;
    this.lastError = `${error} (retry ${Math.min(tries, retrySchedule.length + 1)} of ${retrySchedule.length + 1})`;
    this.lastErrorAt = startedAt;
    if (wait === undefined) {
      this.status = "failed";
      return false;
    }
    this.dueAt = endedAt + wait * 1000;
    return true;
  }

  /** The day it was made, `2026-12-02` (UTC), for listWebhooks' date filters. */
  day(): string {
    return iso(new Date(this.createdAt)).slice(0, 10);
  }

  /** As a reader sees it, with the body and signatures `seal` makes (once: the same records give the same bytes). */
  view(seal: (entry: LogEntry) => Sealed): SentWebhook {
    const { body, signature, signatureHmacSha256 } = (this.sealed ??= seal(this));
    const last = this.attempts.at(-1);
    return {
      id: this.id,
      event: this.event,
      created_at: iso(new Date(this.createdAt)),
      last_error: this.lastError,
      last_error_at: time(this.lastErrorAt),
      accepted_at: time(this.acceptedAt),
      last_sent_at: time(last?.at),
      last_sent_url: last?.url ?? null,
      successful: this.successful,
      body,
      signature,
      signature_hmac_sha_256: signatureHmacSha256,
      status: this.status,
      endpoint_id: this.endpointId,
      ...(this.subscriptionId !== undefined ? { subscription_id: this.subscriptionId } : {}),
      attempts: this.attempts.map((attempt) => ({
        at: iso(new Date(attempt.at)),
        url: attempt.url,
        ...(attempt.status !== undefined ? { status: attempt.status } : {}),
        ...(attempt.error !== undefined ? { error: attempt.error } : {}),
      })),
      next_attempt_at: time(this.dueAt),
      ...(this.problems ? { problems: this.problems } : {}),
    };
  }
}

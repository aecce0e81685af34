/**
 * One webhook attempt over HTTP: a POST of the form body with its id and signatures. Each namespace
 * has one connection per endpoint origin (undici's Client), pipelined: a busy mock has several
 * webhooks on the wire in one round trip, and the endpoint still reads them in the order they were
 * sent. A webhook carries its id for the receiver to drop a repeat, so it goes as an idempotent
 * request: undici pipelines only those, and sends again one that a closed connection left unsent.
 */
import { STATUS_CODES } from "node:http";
import { Client } from "undici";

/** What one attempt came to: the endpoint's status code, or why there was none. */
export interface Outcome {
  status?: number;
  error?: string;
}

/** An attempt without an answer within this time failed (Maxio's Webhooks Reference). */
export const attemptTimeoutMs = 15_000;
/** Webhooks on the wire at once on one connection, waiting for their answers. */
export const pipelined = 32;

/** The error an outcome reads as in the log, or undefined for a 2xx. */
export function outcomeError(outcome: Outcome): string | undefined {
  if (outcome.error !== undefined) return outcome.error;
  const status = outcome.status!;
  return status >= 200 && status < 300 ? undefined : `${status} ${STATUS_CODES[status] ?? ""}`.trim();
}

export interface WebhookRequest {
  url: string;
  id: number;
  body: string;
  signature: string;
  signatureHmacSha256: string;
}

/** One namespace's connections to its endpoints, by origin. */
export class Connections {
  private readonly clients = new Map<string, Client>();

  async post(webhook: WebhookRequest): Promise<Outcome> {
    let target: URL;
    try {
      target = new URL(webhook.url);
    } catch {
      return { error: "Could not connect (not a URL)" };
    }
    let client = this.clients.get(target.origin);
    if (!client) this.clients.set(target.origin, (client = new Client(target.origin, { pipelining: pipelined, headersTimeout: attemptTimeoutMs, bodyTimeout: attemptTimeoutMs })));
    try {
      const answer = await client.request({
        method: "POST",
        path: `${target.pathname}${target.search}`,
        idempotent: true,
        // Answers are expected at once: the next webhooks go on the wire without waiting for this one's headers.
        blocking: false,
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          "x-chargify-webhook-id": String(webhook.id),
          "x-chargify-webhook-signature-hmac-sha-256": webhook.signatureHmacSha256,
          "x-chargify-webhook-signature": webhook.signature,
          "user-agent": "billing-mock",
        },
        body: webhook.body,
      });
      await answer.body.dump();
      return { status: answer.statusCode };
    } catch (failure) {
      return { error: failureText(failure as Error & { code?: string }) };
    }
  }

  /** Lets go of every connection (what is on the wire is dropped). */
  close(): void {
    for (const client of this.clients.values()) void client.destroy().catch(() => undefined);
    this.clients.clear();
  }
}

function failureText(failure: Error & { code?: string }): string {
  if (failure.code === "UND_ERR_HEADERS_TIMEOUT" || failure.code === "UND_ERR_BODY_TIMEOUT") return `No answer within ${attemptTimeoutMs / 1000} seconds`;
  if (failure.code === "UND_ERR_SOCKET") return "The answer broke off";
  return `Could not connect${failure.code ? ` (${failure.code})` : ""}`;
}

/**
 * One webhook attempt over HTTP: a POST of the form body with its id and signatures. Each namespace
 * has one connection per endpoint (undici's Client), pipelined: a busy mock has several
 * webhooks on the wire in one round trip, and the endpoint still reads them in the order they were
 * sent. A webhook carries its id for the receiver to drop a repeat, so it goes as an idempotent
 * request: undici pipelines only those, and sends again one that a closed connection left unsent.
 */
import { STATUS_CODES } from "node:http";
import { createRequire } from "node:module";
import type { Socket } from "node:net";
import type { Client, Dispatcher } from "undici";

/** undici, required at the first connection: a mock that sends no webhook never loads it (about 70 ms of CPU at every start). */
let undici: typeof import("undici") | undefined;
const loadUndici = () => (undici ??= createRequire(import.meta.url)("undici") as typeof import("undici"));

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

/** One namespace's connections to its endpoints, one per endpoint URL. */
export class Connections {
  /** Each endpoint URL's connection and request path, parsed once; undefined for what is not a URL. */
  private readonly targets = new Map<string, { client: Client; path: string } | undefined>();
  /** Each connection's socket while it is open (undici connects through `connect` below). */
  private readonly sockets = new Map<Client, Socket>();
  private readonly corked = new Set<Socket>();

  /**
   * The URL's own connection: two endpoints on one origin do not share one, so an endpoint that
   * never answers holds up no other (its pipelined answers would be ahead of theirs).
   */
  private target(url: string): { client: Client; path: string } | undefined {
    if (this.targets.has(url)) return this.targets.get(url);
    const parsed = URL.canParse(url) ? new URL(url) : undefined;
    const target = parsed ? { client: this.connection(parsed.origin), path: `${parsed.pathname}${parsed.search}` } : undefined;
    this.targets.set(url, target);
    return target;
  }

  /** A pipelined connection to one origin whose socket is known here, to be corked. */
  private connection(origin: string): Client {
    const { buildConnector, Client } = loadUndici();
    const connect = buildConnector({});
    const client: Client = new Client(origin, {
      pipelining: pipelined,
      headersTimeout: attemptTimeoutMs,
      bodyTimeout: attemptTimeoutMs,
      connect: (options, done) =>
        connect(options, (...connected) => {
          const socket = connected[1];
          if (socket) {
            this.sockets.set(client, socket);
            socket.once("close", () => this.sockets.get(client) === socket && this.sockets.delete(client));
          }
          done(...connected);
        }),
    });
    return client;
  }

  /**
   * Holds what is written to the connection until this turn's other webhooks are written too: the
   * attempts a pump starts go out in one write, and reach the endpoint in one read, where each would
   * otherwise be a system call of its own at both ends. Released on setImmediate, after undici's own:
   * on a connection that was idle, undici writes on setImmediate (it first reads what the endpoint
   * may have sent unasked), and those writes are held too. Returns the release, or undefined when
   * the connection is not open yet or is held already.
   */
  private hold(client: Client): (() => void) | undefined {
    const socket = this.sockets.get(client);
    if (!socket || this.corked.has(socket)) return undefined;
    socket.cork();
    this.corked.add(socket);
    return () =>
      void setImmediate(() => {
        this.corked.delete(socket);
        socket.uncork();
      });
  }

  post(webhook: WebhookRequest): Promise<Outcome> {
    const target = this.target(webhook.url);
    if (!target) return Promise.resolve({ error: "Could not connect (not a URL)" });
    const { client, path } = target;
    const release = this.hold(client);
    // undici's handler API, not client.request(): the answer's body is dropped as it arrives, with no
    // stream or promise of its own per webhook (33 -> 28 µs of CPU per POST in a micro-benchmark).
    const outcome = new Promise<Outcome>((resolve) => {
      let status: number | undefined;
      const handler: Dispatcher.DispatchHandler = {
        onRequestStart: () => undefined,
        onResponseStart: (_controller, statusCode) => void (status = statusCode),
        onResponseData: () => undefined,
        onResponseEnd: () => resolve(status === undefined ? { error: "The answer broke off" } : { status }),
        onResponseError: (_controller, failure) => resolve({ error: failureText(failure as Error & { code?: string }) }),
      };
      client.dispatch(
        {
          method: "POST",
          path,
          idempotent: true,
          // Answers are expected at once: the next webhooks go on the wire without waiting for this one's headers.
          blocking: false,
          headers: [
            "content-type", "application/x-www-form-urlencoded",
            "x-chargify-webhook-id", String(webhook.id),
            "x-chargify-webhook-signature-hmac-sha-256", webhook.signatureHmacSha256,
            "x-chargify-webhook-signature", webhook.signature,
            "user-agent", "billing-mock",
          ],
          body: webhook.body,
        },
        handler,
      );
    });
    // Scheduled after the dispatch, so after any setImmediate of undici's for it.
    release?.();
    return outcome;
  }

  /** Lets go of every connection (what is on the wire is dropped). */
  close(): void {
    for (const target of this.targets.values()) void target?.client.destroy().catch(() => undefined);
    this.targets.clear();
    this.sockets.clear();
  }
}

function failureText(failure: Error & { code?: string }): string {
  if (failure.code === "UND_ERR_HEADERS_TIMEOUT" || failure.code === "UND_ERR_BODY_TIMEOUT") return `No answer within ${attemptTimeoutMs / 1000} seconds`;
  if (failure.code === "UND_ERR_SOCKET") return "The answer broke off";
  return `Could not connect${failure.code ? ` (${failure.code})` : ""}`;
}

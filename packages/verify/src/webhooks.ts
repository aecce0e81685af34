/**
 * `billing-verify webhooks`: a local receiver for webhook deliveries (from the mock, or the real API
 * through a tunnel). Each delivery is judged by the spec's `webhooks` (WebhookCheck: media type, the
 * id and signature headers, the signature with the shared key, the form body against its event's
 * schema), then forwarded unchanged to the team's app when asked, whose answer goes back to the
 * sender, so the sender's retries see what the app said. The reports follow the other modes': one
 * line per violation, a summary, `--json` and `--junit`; the shared key never appears in any of them.
 */
import { createServer, request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { listen } from "@billing-api/cli-kit";
import { describeWebhookViolation, type WebhookCheck, type WebhookViolation } from "@billing-api/conformance";
import { Redactor } from "./redact.js";
import { readBody } from "./read-body.js";

export interface ReceivedWebhook {
  /** 1 for the first delivery received. */
  index: number;
  id?: string;
  event?: string;
  /** What the receiver answered the sender: the app's status when forwarding, else 200. */
  status: number;
  violations: WebhookViolation[];
}

export interface WebhookReceiverOptions {
  check: WebhookCheck;
  /** The site's shared key: signatures are checked against it. */
  sharedKey: string;
  /** Where to pass each delivery on (the team's webhook handler); its answer goes back to the sender. */
  forward?: URL;
  host?: string;
  /** Defaults to 0: a free port (read it from `url`). */
  port?: number;
  onDelivery?: (delivery: ReceivedWebhook) => void;
}

export interface WebhookReceiver {
  url: string;
  deliveries: ReceivedWebhook[];
  /** Deliveries the forward target did not answer (a 502 went back to the sender). */
  forwardFailures: number;
  close(): Promise<void>;
}

const maxBodyBytes = 1024 * 1024;
/** The headers a delivery carries on to the app. */
const forwarded = ["content-type", "x-chargify-webhook-id", "x-chargify-webhook-signature-hmac-sha-256", "x-chargify-webhook-signature", "user-agent"];

const readAll = (stream: IncomingMessage) => readBody(stream, maxBodyBytes, "a webhook body");

function forward(target: URL, headers: Record<string, string>, body: Buffer): Promise<{ status: number; body: Buffer; contentType?: string }> {
  const send = target.protocol === "https:" ? httpsRequest : httpRequest;
  const outgoing: Record<string, string> = { "content-length": String(body.length) };
  for (const name of forwarded) if (headers[name] !== undefined) outgoing[name] = headers[name]!;
  return new Promise((resolve, reject) => {
    const request = send(target, { method: "POST", headers: outgoing, timeout: 15_000 }, (response) => {
      readAll(response).then((answer) => resolve({ status: response.statusCode ?? 502, body: answer, contentType: response.headers["content-type"] }), reject);
    });
    request.once("timeout", () => request.destroy(new Error("the app did not answer within 15 s (the API's own limit)")));
    request.once("error", reject);
    request.end(body);
  });
}

export async function startWebhookReceiver(options: WebhookReceiverOptions): Promise<WebhookReceiver> {
  const { check, sharedKey, host = "127.0.0.1", port = 0, onDelivery } = options;
  const receiver: WebhookReceiver = { url: "", deliveries: [], forwardFailures: 0, close: async () => {} };
  const server = createServer(async (req, res) => {
    const reply = (status: number, body: string | Buffer = "", contentType = "text/plain; charset=utf-8") => {
      if (res.headersSent || res.destroyed) return;
      res.writeHead(status, { "content-type": contentType, "content-length": Buffer.byteLength(body) });
      res.end(body);
    };
    if (req.method !== "POST") return reply(405, "billing-verify webhooks receives POSTs only.\n");
    let body: Buffer;
    try {
      body = await readAll(req);
    } catch (error) {
      return reply(413, `${(error as Error).message}\n`);
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
    const verdict = check.check({ headers, body }, sharedKey);
    let status = 200;
    let answer: { body: string | Buffer; contentType?: string | undefined } = { body: "" };
    if (options.forward) {
      try {
        const response = await forward(options.forward, headers, body);
        status = response.status;
        answer = { body: response.body, contentType: response.contentType };
      } catch (error) {
        receiver.forwardFailures++;
        status = 502;
        answer = { body: `billing-verify could not reach ${options.forward.origin}: ${(error as Error).message}\n` };
      }
    }
    const delivery: ReceivedWebhook = { index: receiver.deliveries.length + 1, status, violations: verdict.violations };
    if (verdict.id !== undefined) delivery.id = verdict.id;
    if (verdict.event !== undefined) delivery.event = verdict.event;
    receiver.deliveries.push(delivery);
    onDelivery?.(delivery);
    reply(status, answer.body, answer.contentType);
  });
  receiver.url = await listen(server, port, host);
  receiver.close = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return receiver;
}

/** `#3 signup_success 141769001 -> 200: webhook body /payload[subscription][id]: expected ..., found nothing` */
export function webhookFindingLines(delivery: ReceivedWebhook): string[] {
  const name = `#${delivery.index} ${delivery.event ?? "(no event)"} ${delivery.id ?? "(no id)"} -> ${delivery.status}`;
  return delivery.violations.map((violation) => `${name}: ${describeWebhookViolation({ ...violation, event: undefined } as WebhookViolation)}`);
}

export interface WebhookSummary {
  deliveries: number;
  events: Record<string, number>;
  /** Distinct webhook ids, and how many deliveries repeated one (retries and replays). */
  webhooks: number;
  repeats: number;
  eventsCovered: { covered: number; total: number; uncovered: string[] };
  violations: { total: number; byKind: Record<string, number> };
}

export function webhookSummary(deliveries: ReceivedWebhook[], documented: string[]): WebhookSummary {
  const events: Record<string, number> = {};
  const byKind: Record<string, number> = {};
  for (const delivery of deliveries) {
    const event = delivery.event ?? "(no event)";
    events[event] = (events[event] ?? 0) + 1;
    for (const violation of delivery.violations) byKind[violation.kind] = (byKind[violation.kind] ?? 0) + 1;
  }
  const ids = new Set(deliveries.map((delivery) => delivery.id).filter((id) => id !== undefined));
  const covered = documented.filter((event) => events[event] !== undefined);
  return {
    deliveries: deliveries.length,
    events,
    webhooks: ids.size,
    repeats: deliveries.filter((delivery) => delivery.id !== undefined).length - ids.size,
    eventsCovered: { covered: covered.length, total: documented.length, uncovered: documented.filter((event) => events[event] === undefined) },
    violations: { total: deliveries.reduce((sum, delivery) => sum + delivery.violations.length, 0), byKind },
  };
}

const counts = (record: Record<string, number>) =>
  Object.entries(record)
    .map(([key, count]) => `${key} ${count}`)
    .join(", ");

export function webhookSummaryText(title: string, summary: WebhookSummary): string {
  return [
    `${title}: ${summary.deliveries} deliveries of ${summary.webhooks} webhooks (${summary.repeats} retries or replays)`,
    `Events covered: ${summary.eventsCovered.covered} of ${summary.eventsCovered.total}`,
    `Events seen: ${counts(summary.events) || "none"}`,
    summary.violations.total === 0
      ? summary.deliveries === 0
        ? "Violations: none, but no delivery was received."
        : "Violations: none; every delivery conforms to the spec."
      : `Violations: ${summary.violations.total} (${counts(summary.violations.byKind)})`,
  ].join("\n");
}

export function webhookJsonReport(deliveries: ReceivedWebhook[], documented: string[], extra: Record<string, unknown> = {}): string {
  return `${JSON.stringify({ tool: "billing-verify", mode: "webhooks", ...extra, summary: webhookSummary(deliveries, documented), deliveries }, null, 2)}\n`;
}

const xml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c]!).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, "");

/** One test case per event received (failed with its violations), and the documented events not received as skipped. */
export function webhookJunitReport(deliveries: ReceivedWebhook[], documented: string[]): string {
  const byEvent = new Map<string, ReceivedWebhook[]>();
  for (const delivery of deliveries) {
    const event = delivery.event ?? "(no event)";
    byEvent.set(event, [...(byEvent.get(event) ?? []), delivery]);
  }
  const cases: string[] = [];
  let failures = 0;
  for (const [event, received] of [...byEvent].sort(([a], [b]) => a.localeCompare(b))) {
    const lines = received.flatMap(webhookFindingLines);
    const seen = `${received.length} deliver${received.length === 1 ? "y" : "ies"}`;
    if (lines.length === 0) {
      cases.push(`    <testcase classname="billing-verify.webhooks" name="${xml(event)}"><system-out>${seen}</system-out></testcase>`);
      continue;
    }
    failures++;
    cases.push(
      `    <testcase classname="billing-verify.webhooks" name="${xml(event)}">\n` +
        `      <failure type="conformance" message="${xml(`${lines.length} violations in ${seen}`)}">${xml(lines.join("\n"))}</failure>\n` +
        `    </testcase>`,
    );
  }
  const uncovered = documented.filter((event) => !byEvent.has(event));
  for (const event of uncovered) cases.push(`    <testcase classname="billing-verify.webhooks" name="${xml(event)}"><skipped message="not received"/></testcase>`);
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<testsuites name="billing-verify" tests="${cases.length}" failures="${failures}">\n` +
    `  <testsuite name="billing-verify webhooks" tests="${cases.length}" failures="${failures}" skipped="${uncovered.length}" errors="0">\n` +
    `${cases.join("\n")}\n` +
    `  </testsuite>\n</testsuites>\n`
  );
}

/** A redactor that knows the shared key, for every text the webhooks mode writes. */
export function sharedKeyRedactor(sharedKey: string): Redactor {
  const redactor = new Redactor();
  redactor.add(sharedKey);
  return redactor;
}

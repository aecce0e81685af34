/**
 * The stateful mock's webhooks: per namespace, the endpoints (`createEndpoint`, or `startMock({
 * webhooks: { url } })` for every namespace), the log `listWebhooks` answers, and what is left to
 * send. An event becomes one webhook per subscribed endpoint. Inside the call's turn only what
 * needs the store is done: the records the payload is read from, as they are then, kept as JSON.
 * The rest waits until the answer is on its way, and is done in batches, every `batchMs` at most, by
 * the mock's delivery thread (courier.ts): each payload's form fields read from those records (the
 * keys its webhook schema lists), checked against the spec's `webhooks` by
 * WebhookCheck, form-encoded, signed with the shared key, then sent in order to each endpoint. So
 * the call is never delayed by its webhooks, and the API's answers and its webhooks do not take
 * turns on one core. A failed attempt (not a 2xx within 15 s) is retried 10, 15, 90 and 180
 * seconds later in the namespace's clock time (five attempts in all, Maxio's Webhooks Reference),
 * so a test that advances the clock sees the retry at once. The log (log-entry.ts) keeps each
 * webhook compact and makes its text only when it is read.
 */
import type { Call, Reply } from "../stateful/call.js";
import type { CallObserver } from "../stateful/engine.js";
import { eventRules, eventsOf, type EmittedEvent } from "../stateful/events.js";
import type { Store } from "../stateful/store.js";
import type { TimeChange } from "../stateful/time-step.js";
import { isObject, type WebhookCheck } from "@billing-api/conformance";
import { site } from "../stateful/site.js";
import { contextJson, contextOf, recordContext } from "./contexts.js";
import type { Outcome } from "./delivery.js";
import { DeliveryThread } from "./delivery-thread.js";
import { sealWebhook } from "./form.js";
import { LogEntry, type SentWebhook } from "./log-entry.js";
import { PayloadBuilder } from "./payloads.js";
import type { Job } from "./thread-messages.js";

/** Used when `startMock` is given no `sharedKey` (and `billing-mock` no `--shared-key`). */
export const defaultSharedKey = "billing-mock-shared-key";
/** The log keeps this many webhooks per namespace, dropping the oldest. */
const keptWebhooks = 1_000;
/** How long a reading of the namespace's clock is run on by real time before it is read again in a turn. */
const clockReadMs = 1_000;
/** Webhooks made within this time are finished and sent together. */
export const batchMs = 10;

export interface Endpoint {
  id: number;
  url: string;
  site_id: number;
  status: string;
  webhook_subscriptions: string[];
}

interface Namespace {
  /** Names the namespace to the delivery thread: a reset one's successor has another. */
  key: number;
  endpoints: Endpoint[];
  nextEndpointId: number;
  enabled: boolean;
  webhooks: Map<number, LogEntry>;
  /** Webhooks made in calls' turns, not yet logged and handed to the delivery thread. */
  drafts: LogEntry[];
  /** The delivery thread's tickets for this namespace's attempts not yet ended. */
  tickets: Set<number>;
  /** Waiting for every attempt to end (settled()). */
  idle: (() => void)[];
  /** The clock's offset from real time, as last read in the namespace's turn. */
  clock?: { readAt: number; offset: Promise<number> };
  timer?: NodeJS.Timeout;
  dropped: boolean;
}

/** An attempt handed to the delivery thread: the webhook, its namespace, and the URL it went to. */
interface Ticket {
  namespace: string;
  state: Namespace;
  webhook: LogEntry;
  url: string;
}

export interface DispatcherOptions {
  check: WebhookCheck;
  sharedKey: string;
  /** An endpoint every namespace starts with, subscribed to every documented event. */
  url?: string;
  /** The namespace's clock, read in its turn (never call it from inside one). */
  now(namespace: string): Promise<Date>;
  /** Runs a task in the namespace's turn, after every earlier request of it. */
  inTurn<T>(namespace: string, task: () => Promise<T>): Promise<T>;
}

const management = new Set(["listWebhooks", "enableWebhooks", "replayWebhooks", "createEndpoint", "listEndpoints", "updateEndpoint"]);
let nextWebhookId = 141_770_000;
let nextEventId = 347_310_000;
let nextNamespaceKey = 1;

export class WebhookDispatcher implements CallObserver {
  private readonly namespaces = new Map<string, Namespace>();
  private readonly payloads: PayloadBuilder;
  private readonly thread: DeliveryThread;
  /** Each open ticket's webhook and namespace. */
  private readonly tickets = new Map<number, Ticket>();
  private closed = false;
  private finishing = false;

  constructor(private readonly options: DispatcherOptions) {
    this.payloads = new PayloadBuilder(options.check.document);
    this.thread = new DeliveryThread(() => ({ document: JSON.stringify(options.check.document), sharedKey: options.sharedKey }), {
      refused: (ticket, problems) => this.refused(ticket, problems),
      ended: (attempts) => this.whenEnded(attempts),
      stopped: (tickets, reason) => {
        const now = Date.now();
        this.whenEnded(tickets.map((ticket) => ({ ticket, startedAt: now, endedAt: now, outcome: { error: `The mock's delivery thread stopped (${reason})` } })));
      },
    });
  }

  /** Whether a management operation is answered here (stateful mode). */
  handles(operationId: string): boolean {
    return management.has(operationId);
  }

  private state(namespace: string): Namespace {
    let state = this.namespaces.get(namespace);
    if (!state) {
      const endpoints = this.options.url === undefined ? [] : [{ id: 1, url: this.options.url, site_id: site.id, status: "enabled", webhook_subscriptions: this.payloads.events }];
      state = { key: nextNamespaceKey++, endpoints, nextEndpointId: endpoints.length + 1, enabled: true, webhooks: new Map(), drafts: [], tickets: new Set(), idle: [], dropped: false };
      this.namespaces.set(namespace, state);
    }
    return state;
  }

  // The engine's observer: the events of each answered call, built inside the namespace's turn.
  async before(namespace: string, operationId: string, call: Call): Promise<unknown> {
    if (eventRules[operationId]?.before !== "subscription" || !this.listening(namespace)) return undefined;
    return call.store.get("subscription", call.key("subscription", call.path.subscription_id));
  }

  async after(namespace: string, operationId: string, call: Call, reply: Reply, before: unknown): Promise<void> {
    if (!this.listening(namespace) || !eventRules[operationId]) return;
    const payment = reply.payment ? await reply.payment() : undefined;
    const events = eventsOf(operationId, { path: call.path, body: call.body, reply, before: isObject(before) ? before : undefined, payment });
    for (const event of events) await this.queue(namespace, call.store, event);
  }

  /** The time step's changes (renewals, dunning, trial ends, cancellations): their subscriptions' events, in order. */
  async timeChanged(namespace: string, store: Store, changes: TimeChange[]): Promise<void> {
    if (!this.listening(namespace)) return;
    for (const change of changes) {
      if (change.kind !== "subscription") continue;
      const added = change.payloads ? await change.payloads() : undefined;
      for (const event of change.events) {
        const context = added?.[event];
        await this.queue(namespace, store, { event, kind: "subscription", id: change.id, ...(context ? { context } : {}) });
      }
    }
  }

  /** Whether any endpoint of the namespace could receive an event (so nothing is built for none). */
  private listening(namespace: string): boolean {
    return this.state(namespace).endpoints.length > 0;
  }

  /**
   * Builds and queues the webhooks of one event: for the clock's time step (renewals, dunning,
   * trials), which names the event and the record it is about. Call it inside the namespace's turn,
   * with that turn's store.
   */
  async emit(namespace: string, store: Store, event: string, kind: EmittedEvent["kind"], id: string, context?: Record<string, unknown>): Promise<void> {
    if (!this.listening(namespace)) return;
    await this.queue(namespace, store, { event, kind, id, ...(context ? { context } : {}) });
  }

  /** In the call's turn: reads the event's payload from the store, leaves the rest for after the answer. */
  private async queue(namespace: string, store: Store, emitted: EmittedEvent): Promise<void> {
    const state = this.state(namespace);
    const endpoints = state.endpoints.filter((endpoint) => endpoint.webhook_subscriptions.includes(emitted.event));
    if (endpoints.length === 0) return;
    const record = emitted.record ? await recordContext(store, emitted.kind, emitted.record) : await contextOf(store, emitted.kind, emitted.id);
    if (!record) return;
    const eventId = nextEventId++;
    const createdAt = (await store.clock.now()).getTime();
    // As text: the payload is fixed here, whatever later calls do to the records.
    const json = contextJson(record, emitted.context, eventId);
    const subscription = (emitted.context && "subscription" in emitted.context ? emitted.context : record).subscription as { id?: unknown } | undefined;
    const subscriptionId = Number(subscription?.id);
    for (const endpoint of endpoints) {
      state.drafts.push(new LogEntry(nextWebhookId++, emitted.event, endpoint.id, json, createdAt, Number.isFinite(subscriptionId) ? subscriptionId : undefined));
    }
    if (!this.finishing) {
      this.finishing = true;
      setTimeout(() => {
        this.finishing = false;
        for (const [name, waiting] of this.namespaces) this.finish(name, waiting);
      }, batchMs).unref();
    }
  }

  /** After the answers: the namespace's drafts logged and handed to the delivery thread. */
  private finish(namespace: string, state: Namespace): void {
    if (state.drafts.length === 0) return;
    const sending: LogEntry[] = [];
    for (const webhook of state.drafts.splice(0)) {
      if (!state.enabled) webhook.status = "paused";
      this.remember(state, webhook);
      if (webhook.status === "pending") sending.push(webhook);
    }
    this.send(namespace, state, sending);
  }

  /** The judge refused a payload the mock made (a bug in the mock): kept in the log to be seen, never sent. */
  private refused(ticket: number, problems: string[]): void {
    const sent = this.tickets.get(ticket);
    if (!sent) return;
    this.tickets.delete(ticket);
    sent.state.tickets.delete(ticket);
    sent.webhook.refuse(problems);
    this.wakeIfIdle(sent.state);
  }

  private remember(state: Namespace, webhook: LogEntry): void {
    state.webhooks.set(webhook.id, webhook);
    if (state.webhooks.size > keptWebhooks) state.webhooks.delete(state.webhooks.keys().next().value!);
  }

  /** Hands attempts to the delivery thread, each behind its endpoint's earlier ones; the caller does not wait for them. */
  private send(namespace: string, state: Namespace, webhooks: LogEntry[]): void {
    if (state.dropped || this.closed) return;
    const jobs: Omit<Job, "ticket">[] = [];
    const sending: LogEntry[] = [];
    for (const webhook of webhooks) {
      webhook.dueAt = undefined;
      const endpoint = state.endpoints.find((candidate) => candidate.id === webhook.endpointId);
      if (!endpoint) continue;
      jobs.push({ namespace: state.key, endpointId: endpoint.id, url: endpoint.url, id: webhook.id, event: webhook.event, context: webhook.context });
      sending.push(webhook);
    }
    const tickets = this.thread.send(jobs);
    tickets.forEach((ticket, index) => {
      this.tickets.set(ticket, { namespace, state, webhook: sending[index]!, url: jobs[index]!.url });
      state.tickets.add(ticket);
    });
  }

  /** Whether the namespace has nothing left to send or on the wire. */
  private idle(state: Namespace): boolean {
    return state.drafts.length === 0 && (state.tickets.size === 0 || state.dropped || this.closed);
  }

  private wakeIfIdle(state: Namespace): void {
    if (this.idle(state)) for (const wake of state.idle.splice(0)) wake();
  }

  /**
   * The namespace's clock's offset from real time: read in the namespace's turn at most once a
   * second (not once per attempt, which queued every attempt behind the namespace's requests), run
   * on by real time in between. A clock moved through this mock is read afresh at once (clockMoved).
   */
  private async offset(namespace: string, state: Namespace): Promise<number> {
    if (!state.clock || Date.now() - state.clock.readAt >= clockReadMs) {
      // The offset is taken when the turn answers, not when it was asked for (it may wait behind requests).
      state.clock = { readAt: Date.now(), offset: this.options.now(namespace).then((now) => now.getTime() - Date.now()) };
    }
    return state.clock.offset;
  }

  /** Records ended attempts; a failure to is the mock's bug, never a crash of the process (no one awaits this). */
  private whenEnded(attempts: { ticket: number; startedAt: number; endedAt: number; outcome: Outcome }[]): void {
    this.ended(attempts).catch((error: unknown) => console.error(`billing-mock: webhook attempts not recorded: ${error instanceof Error ? error.message : String(error)}`));
  }

  /** Attempts the delivery thread reports ended: logged, and retried on the schedule when they failed. */
  private async ended(attempts: { ticket: number; startedAt: number; endedAt: number; outcome: Outcome }[]): Promise<void> {
    // Each namespace's attempts, beside what was sent in each (a busy mock has one namespace: one group).
    const byNamespace = new Map<Namespace, { namespace: string; attempts: typeof attempts; sent: Ticket[] }>();
    for (const attempt of attempts) {
      const sent = this.tickets.get(attempt.ticket);
      if (!sent) continue;
      this.tickets.delete(attempt.ticket);
      let group = byNamespace.get(sent.state);
      if (!group) byNamespace.set(sent.state, (group = { namespace: sent.namespace, attempts: [], sent: [] }));
      group.attempts.push(attempt);
      group.sent.push(sent);
    }
    for (const [state, { namespace, attempts: ended, sent }] of byNamespace) {
      let offset = 0;
      try {
        offset = await this.offset(namespace, state);
      } catch {
        // The clock could not be read (a shared store out of reach): real time, and read again next time.
        delete state.clock;
      }
      let retrying = false;
      ended.forEach(({ ticket, startedAt, endedAt, outcome }, index) => {
        const { webhook, url } = sent[index]!;
        retrying = webhook.record(url, startedAt + offset, endedAt + offset, outcome) || retrying;
        state.tickets.delete(ticket);
      });
      if (retrying) this.schedule(namespace, state, Date.now() + offset);
      this.wakeIfIdle(state);
    }
  }

  /** Arms one timer for the namespace's earliest due retry (real time runs its clock too). */
  private schedule(namespace: string, state: Namespace, now: number): void {
    if (state.timer) clearTimeout(state.timer);
    delete state.timer;
    const due = [...state.webhooks.values()].map((webhook) => webhook.dueAt).filter((at): at is number => at !== undefined);
    if (due.length === 0 || this.closed || state.dropped) return;
    const wait = Math.max(0, Math.min(...due) - now);
    state.timer = setTimeout(() => void this.clockMoved(namespace), Math.min(wait, 2 ** 31 - 1));
    state.timer.unref();
  }

  /** Sends the retries that are due now in the namespace's clock: after the clock moves, or a timer. */
  async clockMoved(namespace: string): Promise<void> {
    const state = this.namespaces.get(namespace);
    if (!state) return;
    this.finish(namespace, state);
    delete state.clock;
    const now = (await this.options.now(namespace)).getTime();
    this.send(namespace, state, [...state.webhooks.values()].filter((webhook) => webhook.dueAt !== undefined && webhook.dueAt <= now));
    this.schedule(namespace, state, now);
  }

  /** Back to the start: the endpoints `startMock` gave, an empty log, nothing left to send. */
  reset(namespace: string): void {
    const state = this.namespaces.get(namespace);
    if (!state) return;
    state.dropped = true;
    if (state.timer) clearTimeout(state.timer);
    this.thread.drop(state.key, state.tickets);
    for (const ticket of state.tickets) this.tickets.delete(ticket);
    state.tickets.clear();
    for (const wake of state.idle.splice(0)) wake();
    this.namespaces.delete(namespace);
  }

  /**
   * The log as it stands once every webhook made so far is in it and judged: before the answer
   * that reads or changes it, the calls before are all accounted for.
   */
  private async log(namespace: string): Promise<Namespace> {
    const state = this.state(namespace);
    this.finish(namespace, state);
    await this.thread.allJudged();
    return state;
  }

  /** A logged webhook as a reader sees it: its body and signatures made from its records, the bytes the thread sent. */
  private shown(webhook: LogEntry): SentWebhook {
    return webhook.view((entry) => sealWebhook(this.payloads.fields(entry.event, String(entry.id), JSON.parse(entry.context) as Record<string, unknown>), this.options.sharedKey));
  }

  /** Every webhook of the namespace, oldest first, with its attempts: `GET /__mock/webhooks`. */
  async sent(namespace: string): Promise<SentWebhook[]> {
    const state = await this.log(namespace);
    return [...state.webhooks.values()].map((webhook) => this.shown(webhook));
  }

  /** Waits until the namespace has nothing left to send or on the wire (for tests). */
  async settled(namespace: string): Promise<void> {
    const state = this.state(namespace);
    this.finish(namespace, state);
    if (this.idle(state)) return;
    await new Promise<void>((wake) => state.idle.push(wake));
  }

  close(): void {
    this.closed = true;
    this.thread.close();
    for (const state of this.namespaces.values()) {
      if (state.timer) clearTimeout(state.timer);
      for (const wake of state.idle.splice(0)) wake();
    }
  }

  /** Answers a management operation from the namespace's endpoints and log. */
  async respond(namespace: string, operationId: string, call: { path: Record<string, string>; query: Record<string, string | string[]>; body: unknown; notFound(): Reply }): Promise<Reply> {
    const state = await this.log(namespace);
    const body = isObject(call.body) ? call.body : {};
    const one = (name: string) => {
      const value = call.query[name];
      return Array.isArray(value) ? value[0] : value;
    };
    switch (operationId) {
      case "listWebhooks": {
        const status = one("status");
        const since = one("since_date");
        const until = one("until_date");
        const subscription = one("subscription");
        let found = [...state.webhooks.values()].filter(
          (webhook) =>
            (status === undefined || webhook.status === status) &&
            (since === undefined || webhook.day() >= since) &&
            (until === undefined || webhook.day() <= until) &&
            (subscription === undefined || String(webhook.subscriptionId) === String(Number(subscription))),
        );
        if (one("order") !== "oldest_first") found = found.reverse();
        const perPage = Math.min(Number(one("per_page") ?? 20), 200);
        const page = Number(one("page") ?? 1);
        return { status: 200, body: found.slice((page - 1) * perPage, page * perPage).map((webhook) => ({ webhook: publicWebhook(this.shown(webhook)) })) };
      }
      case "enableWebhooks": {
        state.enabled = body.webhooks_enabled === true;
        const paused = state.enabled ? [...state.webhooks.values()].filter((webhook) => webhook.status === "paused") : [];
        for (const webhook of paused) webhook.status = "pending";
        this.send(namespace, state, paused);
        return { status: 200, body: { webhooks_enabled: state.enabled } };
      }
      case "replayWebhooks": {
        const ids = Array.isArray(body.ids) ? body.ids : [];
        const replayed = ids.map((id) => state.webhooks.get(Number(id))).filter((webhook): webhook is LogEntry => webhook !== undefined && !webhook.problems);
        // Replayed with its own id.
        for (const webhook of replayed) webhook.replay();
        this.send(namespace, state, replayed);
        return { status: 200, body: { status: "ok" } };
      }
      case "createEndpoint":
      case "updateEndpoint": {
        const sent = isObject(body.endpoint) ? body.endpoint : {};
        const url = String(sent.url ?? "");
        if (!/^https?:\/\/[^/\s]+/i.test(url)) return { status: 422, body: { errors: ["URL: invalid, only http and https supported"] } };
        const subscriptions = (Array.isArray(sent.webhook_subscriptions) ? sent.webhook_subscriptions : []).map(String);
        if (operationId === "createEndpoint") {
          const endpoint: Endpoint = { id: state.nextEndpointId++, url, site_id: site.id, status: "enabled", webhook_subscriptions: subscriptions };
          state.endpoints.push(endpoint);
          return { status: 201, body: { endpoint } };
        }
        const endpoint = state.endpoints.find((candidate) => String(candidate.id) === String(Number(call.path.endpoint_id)));
        if (!endpoint) return call.notFound();
        Object.assign(endpoint, { url, webhook_subscriptions: subscriptions });
        return { status: 200, body: { endpoint } };
      }
      default:
        return { status: 200, body: state.endpoints };
    }
  }
}

function publicWebhook(webhook: SentWebhook) {
  const { id, event, created_at, last_error, last_error_at, accepted_at, last_sent_at, last_sent_url, successful, body, signature, signature_hmac_sha_256 } = webhook;
  return { event, id, created_at, last_error, last_error_at, accepted_at, last_sent_at, last_sent_url, successful, body, signature, signature_hmac_sha_256 };
}

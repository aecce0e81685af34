/**
 * The delivery thread: a worker thread of the mock that makes, judges, encodes, signs and sends the
 * webhooks the mock's thread hands it (delivery-thread.ts), each as its event and the JSON of the
 * records its payload is read from, so the mock's answers do not wait their turn behind its
 * webhooks. Each endpoint of each namespace has its own queue: its webhooks go
 * out in order, at most `pipelined` on the wire at once, on a connection of the endpoint's own
 * (delivery.ts), so an endpoint that never answers holds up no other. What happened goes back as
 * reports (thread-messages.ts): which payloads the judge refused, and how each attempt ended.
 */
import { parentPort, workerData } from "node:worker_threads";
import { describeWebhookViolation, WebhookCheck } from "@billing-api/conformance";
import { Connections, pipelined, type WebhookRequest } from "./delivery.js";
import { Fifo } from "./fifo.js";
import { sealWebhook } from "./form.js";
import { PayloadBuilder } from "./payloads.js";
import { unpackJobs, type Command, type Report } from "./thread-messages.js";

export interface CourierData {
  /** The OpenAPI document's JSON text: the mock's own, whose `webhooks` judge every payload. */
  document: string;
  sharedKey: string;
}

interface Delivery extends WebhookRequest {
  ticket: number;
}

interface Lane {
  outbox: Fifo<Delivery>;
  inFlight: number;
  /** Whether a pump is due on setImmediate, after answers came in. */
  refilling: boolean;
}

interface Namespace {
  connections: Connections;
  lanes: Map<number, Lane>;
  dropped: boolean;
}

const port = parentPort!;
const { document, sharedKey } = workerData as CourierData;
const spec = JSON.parse(document) as Record<string, unknown>;
const check = new WebhookCheck(spec);
const payloads = new PayloadBuilder(spec);
const namespaces = new Map<number, Namespace>();

/** Ended attempts not yet reported: they go back together, once this turn's answers are all read. */
let outcomes: number[] = [];
let errors: string[] = [];
let reporting = false;

function reportOutcome(ticket: number, startedAt: number, status: number | undefined, error: string | undefined): void {
  outcomes.push(ticket, startedAt, Date.now(), status ?? 0);
  errors.push(error ?? "");
  if (reporting) return;
  reporting = true;
  setImmediate(() => {
    reporting = false;
    port.postMessage({ outcomes, errors } satisfies Report);
    outcomes = [];
    errors = [];
  });
}

/** Starts a lane's attempts, oldest first, while fewer than `pipelined` are on the wire: the endpoint gets them in order. */
function pump(state: Namespace, lane: Lane): void {
  while (lane.outbox.size > 0 && lane.inFlight < pipelined && !state.dropped) {
    const delivery = lane.outbox.shift()!;
    lane.inFlight += 1;
    const startedAt = Date.now();
    void state.connections.post(delivery).then((outcome) => {
      lane.inFlight -= 1;
      reportOutcome(delivery.ticket, startedAt, outcome.status, outcome.error);
      if (lane.refilling) return;
      // Once the answers read in this turn are all in: their successors go on the wire together.
      lane.refilling = true;
      setImmediate(() => {
        lane.refilling = false;
        pump(state, lane);
      });
    });
  }
}

function namespace(key: number): Namespace {
  let state = namespaces.get(key);
  if (!state) namespaces.set(key, (state = { connections: new Connections(), lanes: new Map(), dropped: false }));
  return state;
}

port.on("message", (message: string | string[] | Command) => {
  if (typeof message === "object" && !Array.isArray(message)) {
    // A reset namespace: what it has queued or on the wire is dropped, unreported.
    const state = namespaces.get(message.drop);
    if (state) (state.dropped = true), state.connections.close();
    namespaces.delete(message.drop);
    return;
  }
  const jobs = unpackJobs(message);
  const refused: [number, string[]][] = [];
  const touched = new Map<Lane, Namespace>();
  for (const job of jobs) {
    let fields: [string, string][];
    let problems: string[];
    try {
      fields = payloads.fields(job.event, String(job.id), JSON.parse(job.context) as Record<string, unknown>);
      // The one judge, on every payload before it leaves.
      problems = check.payloadProblems(job.event, Object.fromEntries(fields)).map(describeWebhookViolation);
    } catch (error) {
      // A bug in the mock: this webhook is refused alone, and the thread goes on with the others.
      refused.push([job.ticket, [`webhook body: the mock could not make it (${error instanceof Error ? error.message : String(error)})`]]);
      continue;
    }
    if (problems.length > 0) {
      refused.push([job.ticket, problems]);
      continue;
    }
    const state = namespace(job.namespace);
    let lane = state.lanes.get(job.endpointId);
    if (!lane) state.lanes.set(job.endpointId, (lane = { outbox: new Fifo(), inFlight: 0, refilling: false }));
    lane.outbox.push({ ticket: job.ticket, url: job.url, id: job.id, ...sealWebhook(fields, sharedKey) });
    touched.set(lane, state);
  }
  if (jobs.length > 0) port.postMessage({ judged: jobs.at(-1)!.ticket, refused } satisfies Report);
  for (const [lane, state] of touched) pump(state, lane);
});

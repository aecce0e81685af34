import { readFile } from "node:fs/promises";
import { openapiJsonPath } from "@billing-api/spec";
import { ConformanceCheck } from "@billing-api/conformance";
import { listen } from "@billing-api/cli-kit";
import { httpServer } from "./http.js";
import { BillingMock } from "./pipeline.js";
import { operationsOf } from "./prism-operations.js";
import { control, controlPrefix } from "./stateful/control.js";
import { defaultNamespace, StatefulEngine } from "./stateful/engine.js";
import { storeProvider } from "./stateful/providers.js";
import type { StoreProvider } from "./stateful/store.js";
import { defaultSharedKey, WebhookDispatcher } from "./webhooks/dispatcher.js";
import type { SentWebhook } from "./webhooks/log-entry.js";
import type { MockClockSummary, MockState } from "./control-client.js";

export type { MockState } from "./control-client.js";

export interface MockOptions {
  /** Interface to bind. Defaults to 127.0.0.1; the mock is for local tests, not a network service. */
  host?: string;
  /** Port to listen on. Defaults to 4010; 0 picks a free one (read it from `url`). */
  port?: number;
  /** The OpenAPI document to serve. Defaults to the bundled Billing API (@billing-api/spec). */
  document?: string;
  /** Turn responses that break the spec into 500s. Defaults to true; keep it on in tests. */
  errors?: boolean;
  /** Called after each request, for logging. */
  onRequest?: (entry: { method: string; path: string; status: number; ms: number }) => void;
  /**
   * Keep state: creates, updates and deletes are real, seeded from the spec's named examples, with
   * the API's rules, one store per `Mock-Namespace` header. Defaults to false (every answer is an example).
   */
  stateful?: boolean;
  /** Accept only this API key, on the control routes too (any other gets the API's plain-text 401). Defaults to any key. */
  apiKey?: string;
  /**
   * Stateful mode: where the namespaces' resources live. Defaults to this process's memory, within
   * `defaultLimits`. `"redis://HOST:PORT[/DB]"` shares them with every mock process on that Redis
   * (the mock then answers 503 while Redis cannot be reached); a provider of your own is closed by you.
   */
  store?: StoreProvider | string;
  /**
   * Stateful mode: an endpoint every namespace starts with, receiving every documented event (more
   * per namespace with `POST /endpoints.json`). Without it nothing is sent until an endpoint is created.
   */
  webhooks?: { url?: string };
  /** The site's shared key, that signs webhooks. Defaults to `billing-mock-shared-key`. */
  sharedKey?: string;
}

export interface MockServer {
  /** Base URL to give the client, such as `http://127.0.0.1:4010`. */
  url: string;
  close(): Promise<void>;
  /** Stateful mode: back to the seeds and real time (the default namespace unless named). */
  reset(namespace?: string): Promise<void>;
  /** Stateful mode: the namespace's resources. */
  state(namespace?: string): Promise<MockState>;
  /** Stateful mode: the webhooks a namespace sent or is sending, oldest first, each with its attempts. */
  webhooks(namespace?: string): Promise<SentWebhook[]>;
  /** Stateful mode: each namespace's clock, which starts at real time. */
  clock: {
    now(namespace?: string): Promise<Date>;
    /** Moves the clock forward (never back) and runs what falls due on the way; answers what happened. */
    set(now: Date | string, namespace?: string): Promise<MockClockSummary>;
    advance(seconds: number, namespace?: string): Promise<MockClockSummary>;
  };
}

/**
 * What a mock reads from its document: Prism's operations, and the judge (one standard for answers,
 * the verifier's: full JSON Schema 2020-12; Prism's own response validator merges allOf, which lets
 * an unknown key through a closed schema). Kept for the process by the document's path and text:
 * a test suite that starts a mock per file or per test loads them once, and the judge's compiled
 * validators serve every mock of that document (and a verifier of it in the same process:
 * ConformanceCheck.parse). Neither is changed by a mock that uses them. The
 * last few documents only: a long-lived process that starts mocks of ever new documents keeps no more.
 */
const loaded = new Map<string, Promise<{ operations: Awaited<ReturnType<typeof operationsOf>>; conformance: ConformanceCheck }>>();
const documentsKept = 4;

async function load(document: string) {
  const text = await readFile(document, "utf8");
  const key = `${document}\n${text}`;
  let found = loaded.get(key);
  if (!found) {
    found = operationsOf(document, text).then((operations) => ({ operations, conformance: ConformanceCheck.parse(text) }));
    loaded.set(key, found);
    if (loaded.size > documentsKept) loaded.delete(loaded.keys().next().value!);
    // A document that fails to load is tried again next time, not remembered.
    found.catch(() => loaded.delete(key));
  }
  return found;
}

/**
 * Starts the Billing API mock: the judge (@billing-api/conformance) refuses every request that
 * breaks the spec with a 4xx in the API's error shape, and Prism's mocker answers the rest, inside
 * one node:http server (`http.ts`, the pipeline in `pipeline.ts`).
 */
export async function startMock(options: MockOptions = {}): Promise<MockServer> {
  const { host = "127.0.0.1", port = 4010, document = openapiJsonPath, errors = true, onRequest, stateful = false, apiKey, store, sharedKey = defaultSharedKey } = options;
  const { operations, conformance } = await load(document);
  const provider = stateful ? (typeof store === "string" ? await storeProvider(store) : store) : undefined;
  const engine = stateful ? new StatefulEngine(operations, provider) : undefined;
  const dispatcher = engine
    ? new WebhookDispatcher({
        check: conformance.webhooks,
        sharedKey,
        ...(options.webhooks?.url !== undefined ? { url: options.webhooks.url } : {}),
        now: (namespace) => engine.inTurn(namespace, (store) => store.clock.now()),
        inTurn: (namespace, task) => engine.inTurn(namespace, () => task()),
      })
    : undefined;
  if (engine) engine.observer = dispatcher;
  const mock = new BillingMock(operations, errors, conformance, engine, apiKey, dispatcher);

  const server = httpServer((req) => mock.answer(req), onRequest);

  const url = await listen(server, port, host).catch(async (error: unknown) => {
    if (typeof store === "string") await engine?.close();
    throw error;
  });

  const controlled = async (method: string, route: string, namespace = defaultNamespace, body?: unknown) => {
    const answer = await control(engine, method, `${controlPrefix}${route}`, namespace, body);
    if (answer.status >= 300) throw new Error((answer.body as { errors: string[] }).errors.join(" "));
    // The webhooks follow the namespace: retries fall due as its clock moves, a reset empties them.
    if (route === "clock") await dispatcher?.clockMoved(namespace);
    if (route === "reset") dispatcher?.reset(namespace);
    return answer.body;
  };
  return {
    url,
    async close() {
      dispatcher?.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      // A store the mock made from a URL is the mock's to close; one passed in is the caller's.
      if (typeof store === "string") await engine?.close();
    },
    reset: async (namespace) => void (await controlled("POST", "reset", namespace)),
    state: async (namespace) => (await controlled("GET", "state", namespace)) as MockState,
    webhooks: async (namespace = defaultNamespace) => {
      if (!dispatcher) throw new Error("webhooks() is for the stateful mock; start it with startMock({ stateful: true }).");
      return dispatcher.sent(namespace);
    },
    clock: {
      now: async (namespace) => new Date(((await controlled("GET", "clock", namespace)) as MockState).now),
      set: async (now, namespace) => (await controlled("POST", "clock", namespace, { now: new Date(now).toISOString() })) as MockClockSummary,
      advance: async (seconds, namespace) => (await controlled("POST", "clock", namespace, { advance_seconds: seconds })) as MockClockSummary,
    },
  };
}

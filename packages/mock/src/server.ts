import { readFile } from "node:fs/promises";
import { openapiJsonPath } from "@billing-api/spec";
import { ConformanceCheck } from "@billing-api/conformance";
import { listen } from "@billing-api/cli-kit";
import { httpServer } from "./http.js";
import { BillingMock } from "./pipeline.js";
import { loadOperations } from "./prism.js";
import { control, controlPrefix } from "./stateful/control.js";
import { defaultNamespace, StatefulEngine } from "./stateful/engine.js";
import type { StoreProvider } from "./stateful/store.js";

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
  /** Accept only this API key (any other gets the API's plain-text 401). Defaults to any key. */
  apiKey?: string;
  /** Stateful mode: where the namespaces' resources live. Defaults to this process's memory, within `defaultLimits`. */
  store?: StoreProvider;
}

/** A namespace's resources, as `GET /__mock/state` shows them. */
export interface MockState {
  namespace: string;
  /** The namespace's clock. */
  now: string;
  /** By kind (`customer`, `subscription`, ...), then id. */
  resources: Record<string, Record<string, Record<string, unknown>>>;
}

export interface MockServer {
  /** Base URL to give the client, such as `http://127.0.0.1:4010`. */
  url: string;
  close(): Promise<void>;
  /** Stateful mode: back to the seeds and real time (the default namespace unless named). */
  reset(namespace?: string): Promise<void>;
  /** Stateful mode: the namespace's resources. */
  state(namespace?: string): Promise<MockState>;
  /** Stateful mode: each namespace's clock, which starts at real time. */
  clock: {
    now(namespace?: string): Promise<Date>;
    set(now: Date | string, namespace?: string): Promise<void>;
    advance(seconds: number, namespace?: string): Promise<void>;
  };
}

/**
 * Starts the Billing API mock: the judge (@billing-api/conformance) refuses every request that
 * breaks the spec with a 4xx in the API's error shape, and Prism's mocker answers the rest, inside
 * one node:http server (`http.ts`, the pipeline in `pipeline.ts`).
 */
export async function startMock(options: MockOptions = {}): Promise<MockServer> {
  const { host = "127.0.0.1", port = 4010, document = openapiJsonPath, errors = true, onRequest, stateful = false, apiKey, store } = options;
  const [operations, text] = await Promise.all([loadOperations(document), readFile(document, "utf8")]);
  const engine = stateful ? new StatefulEngine(operations, store) : undefined;
  // One standard for answers, the verifier's: full JSON Schema 2020-12 (Prism's own response
  // validator merges allOf, which lets an unknown key through a closed schema).
  const conformance = new ConformanceCheck(JSON.parse(text) as Record<string, unknown>);
  const mock = new BillingMock(operations, errors, conformance, engine, apiKey);

  const server = httpServer((req) => mock.answer(req), onRequest);

  const url = await listen(server, port, host);

  const controlled = async (method: string, route: string, namespace = defaultNamespace, body?: unknown) => {
    const answer = await control(engine, method, `${controlPrefix}${route}`, namespace, body);
    if (answer.status >= 300) throw new Error((answer.body as { errors: string[] }).errors.join(" "));
    return answer.body;
  };
  return {
    url,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    reset: async (namespace) => void (await controlled("POST", "reset", namespace)),
    state: async (namespace) => (await controlled("GET", "state", namespace)) as MockState,
    clock: {
      now: async (namespace) => new Date(((await controlled("GET", "state", namespace)) as MockState).now),
      set: async (now, namespace) => void (await controlled("POST", "clock", namespace, { now: new Date(now).toISOString() })),
      advance: async (seconds, namespace) => void (await controlled("POST", "clock", namespace, { advance_seconds: seconds })),
    },
  };
}

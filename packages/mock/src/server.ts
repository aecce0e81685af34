import { createHash } from "node:crypto";
import { createServer, STATUS_CODES, type IncomingMessage, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { openapiJsonPath } from "@billing-api/spec";
import type { IHttpRequest, IHttpResponse } from "@stoplight/prism-http";
import type { IHttpOperation } from "@stoplight/types";
import { readFile } from "node:fs/promises";
import { ConformanceCheck, describeConformance, expandTemplate, loadOperations, queryValues, Router, validateRequest, wireProblems } from "@billing-api/conformance";
import { listen } from "@billing-api/cli-kit";
import { mockResponse } from "./prism.js";
import { hasApiKey, parseJsonBody, parsePrefer, readBody, Refusal } from "./request.js";
import { explainedByRules, ruleViolations } from "./rules.js";
import { describeViolation, errorShapes, fitToSchema, refusalMessages, requestViolations, violationsBody, type Violation } from "./violations.js";
import { apiKeyOf } from "./credentials.js";
import { control, controlPrefix } from "./stateful/control.js";
import { defaultNamespace, namespaceProblem, StatefulEngine } from "./stateful/engine.js";
import { storeProvider } from "./stateful/providers.js";
import { StoreFull, StoreUnavailable, type StoreProvider } from "./stateful/store.js";
import { WebhookCheck } from "@billing-api/conformance";
import { defaultSharedKey, WebhookDispatcher, type SentWebhook } from "./webhooks/dispatcher.js";
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

interface Answer {
  status: number;
  headers: Record<string, string>;
  body?: string;
}

const jsonType = "application/json; charset=utf-8";
const accessDenied = "HTTP Basic: Access denied.\n";
/** How many checked answers the mock remembers, so that it checks each distinct body once. */
const maxCheckedResponses = 10_000;

/** A short digest of a body's JSON, to remember that it was checked without keeping it. */
function contentHash(text: string | undefined): string {
  return createHash("sha1").update(text ?? "").digest("base64");
}

/** `{"errors": [...]}` with a status: the API's own shape for every refusal the mock makes itself. */
function errorAnswer(status: number, messages: string[], headers: Record<string, string> = {}): Answer {
  return { status, headers: { "content-type": jsonType, ...headers }, body: JSON.stringify({ errors: messages }) };
}

/**
 * Starts the Billing API mock: Prism's mocker and validators on the bundled spec, inside one
 * node:http handler that refuses every malformed request with a 4xx in the API's error shape.
 */
export async function startMock(options: MockOptions = {}): Promise<MockServer> {
  const { host = "127.0.0.1", port = 4010, document = openapiJsonPath, errors = true, onRequest, stateful = false, apiKey, store, sharedKey = defaultSharedKey } = options;
  const [operations, text] = await Promise.all([loadOperations(document), readFile(document, "utf8")]);
  const provider = stateful ? (typeof store === "string" ? await storeProvider(store) : store) : undefined;
  const engine = stateful ? new StatefulEngine(operations, provider) : undefined;
  // One standard for answers, the verifier's: full JSON Schema 2020-12 (Prism's own response
  // validator merges allOf, which lets an unknown key through a closed schema).
  const conformance = new ConformanceCheck(operations, JSON.parse(text) as Record<string, unknown>);
  const dispatcher = engine
    ? new WebhookDispatcher({
        check: new WebhookCheck(conformance.document),
        sharedKey,
        ...(options.webhooks?.url !== undefined ? { url: options.webhooks.url } : {}),
        now: (namespace) => engine.inTurn(namespace, (store) => store.clock.now()),
        inTurn: (namespace, task) => engine.inTurn(namespace, () => task()),
      })
    : undefined;
  if (engine) engine.observer = dispatcher;
  const mock = new BillingMock(operations, errors, conformance, engine, apiKey, dispatcher);

  const server = createServer(
    // Node's defaults wait five minutes for a slow body; a test suite's mock should not.
    { requestTimeout: 30_000, headersTimeout: 10_000, keepAliveTimeout: 5_000 },
    (req, res) => {
      const started = performance.now();
      void mock.answer(req).then(
        (answer) => send(req, res, answer),
        (error: unknown) => {
          // A client that hung up mid-body: nothing to answer, and the socket is already gone.
          if (!res.socket || res.socket.destroyed) return void res.destroy();
          send(req, res, crashAnswer(error));
        },
      ).finally(() => {
        onRequest?.({ method: req.method ?? "GET", path: req.url ?? "/", status: res.statusCode, ms: Math.round(performance.now() - started) });
      });
    },
  );
  server.on("clientError", answerClientError);
  // `Expect: 100-continue` is answered by Node; any other expectation would get an empty 417.
  server.on("checkExpectation", (req: IncomingMessage, res: ServerResponse) => {
    send(req, res, errorAnswer(417, [`The mock meets no expectation but 100-continue; Expect was ${JSON.stringify(req.headers.expect)}.`]));
  });

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

function send(req: IncomingMessage, res: ServerResponse, answer: Answer) {
  if (res.headersSent) return void res.end();
  const body = answer.body === undefined ? undefined : Buffer.from(answer.body, "utf8");
  res.writeHead(answer.status, {
    ...answer.headers,
    ...(body ? { "content-length": String(body.length) } : answer.status === 204 ? {} : { "content-length": "0" }),
  });
  res.end(req.method === "HEAD" ? undefined : body);
}

function crashAnswer(error: unknown): Answer {
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return errorAnswer(500, [`The mock failed on this request (${detail}). It keeps serving; please report the request.`]);
}

/**
 * Requests Node's HTTP parser refuses (oversized heads, bad methods or header bytes, timeouts) would
 * get an empty body; they get the API's error shape instead.
 */
function answerClientError(error: Error & { code?: string }, socket: Socket) {
  // `_httpMessage` is the response in progress, if any: Node's own handler makes the same check.
  const inProgress = (socket as Socket & { _httpMessage?: ServerResponse })._httpMessage;
  if (error.code === "ECONNRESET" || !socket.writable || inProgress?.headersSent) return void socket.destroy();
  const [status, message] =
    error.code === "HPE_HEADER_OVERFLOW"
      ? [431, "The request head is larger than the 16 KiB the mock reads."]
      : error.code === "ERR_HTTP_REQUEST_TIMEOUT"
        ? [408, "The request did not arrive whole within 30 seconds."]
        : [400, `The request is not valid HTTP (${error.code ?? error.message}).`];
  const body = JSON.stringify({ errors: [message] });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: ${jsonType}\r\n` +
      `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}

/** The request pipeline, from raw request to answer, with no I/O but reading the body. */
class BillingMock {
  private readonly router: Router;
  /** Static examples never change: each (operation, status, example) is validated once. */
  private readonly checkedResponses = new Map<string, string[]>();

  constructor(
    operations: IHttpOperation[],
    private readonly errors: boolean,
    private readonly conformance: ConformanceCheck,
    private readonly engine?: StatefulEngine,
    private readonly apiKey?: string,
    private readonly webhooks?: WebhookDispatcher,
  ) {
    this.router = new Router(operations);
  }

  async answer(req: IncomingMessage): Promise<Answer> {
    try {
      return await this.answerOrRefuse(req);
    } catch (error) {
      if (error instanceof Refusal) return errorAnswer(error.status, error.messages, error.headers);
      throw error;
    }
  }

  private async answerOrRefuse(req: IncomingMessage): Promise<Answer> {
    const method = req.method ?? "GET";
    const target = req.url ?? "/";
    if (!target.startsWith("/")) throw new Refusal(400, [`The request target ${JSON.stringify(target)} is not a path.`]);
    const queryStart = target.indexOf("?");
    const path = queryStart === -1 ? target : target.slice(0, queryStart);
    const search = queryStart === -1 ? "" : target.slice(queryStart + 1);
    if (path.startsWith(controlPrefix)) return this.control(req, method, path);

    const route = this.router.route(method, path);
    if (route.kind === "bad-path") throw new Refusal(400, [route.message]);
    if (route.kind === "not-found") {
      const hint = route.suggestion ? ` Paths end in .json: did you mean ${route.suggestion}?` : "";
      throw new Refusal(404, [`No operation is documented at ${method} ${path}.${hint}`]);
    }
    if (route.kind === "method-not-allowed") {
      const allow = route.allowed.join(", ");
      if (method === "OPTIONS") return { status: 204, headers: { allow } };
      const hint = route.elsewhere ? ` Did you mean ${method} ${route.elsewhere}?` : "";
      throw new Refusal(405, [`${method} is not documented for ${path}; it takes ${allow}.${hint}`], { allow });
    }
    const { operation, pathParams } = route;

    if (!hasApiKey(req.headers.authorization) || (this.apiKey !== undefined && apiKeyOf(req.headers.authorization) !== this.apiKey)) {
      return this.unauthorized(operation);
    }
    const namespace = this.engine ? this.namespace(req) : defaultNamespace;
    const preferences = parsePrefer(req.headers.prefer, operation);

    const bytes = await readBody(req);
    const body = operation.request?.body ? parseJsonBody(bytes, req.headers["content-type"]) : undefined;
    const query = queryValues(search);
    const request: IHttpRequest = {
      method: operation.method as IHttpRequest["method"],
      url: { path: expandTemplate(operation.path, pathParams), query },
      headers: prismHeaders(req, body),
      body,
    };

    const problems = wireProblems(operation, pathParams, query, body);
    // The validator's own verdict on the same place (`code` is "missing" when sent empty) goes.
    const flagged = new Set(problems.filter((p) => p.location !== "body").map((p) => `${p.location}.${p.name}`));
    const found = requestViolations(validateRequest(operation, request)).filter((v) => !flagged.has(v.location.slice(1, 3).join(".")) && !isMissingParam(v, flagged));
    // Only a request the schema refuses can break a rule; the rules then say which, first.
    const rules = found.length > 0 && body !== undefined ? ruleViolations(operation.request?.body?.contents?.[0]?.schema, body) : [];
    const violations: Violation[] = [
      ...rules.filter((rule) => !rule.silent),
      ...problems.map((p) => ({ location: ["request", p.location, ...(p.name ? p.name.split(".") : [])], message: p.message, severity: "Error" })),
      ...found.filter((v) => !explainedByRules(v, rules)),
    ];
    if (violations.length > 0) return this.refuse(operation, violations);

    // Stateful mode answers from the store, unless `Prefer` asks for a documented status or example.
    const fromStore =
      (this.engine?.handles(operation.iid ?? "") || this.webhooks?.handles(operation.iid ?? "")) && preferences.code === undefined && preferences.exampleKey === undefined && !preferences.dynamic;
    const response = fromStore
      ? await this.stateful(namespace, operation, pathParams, query, body)
      : mockResponse(operation, request, {
          dynamic: preferences.dynamic ?? false,
          ...(preferences.code !== undefined ? { code: preferences.code } : {}),
          ...(preferences.exampleKey !== undefined ? { exampleKey: preferences.exampleKey } : {}),
          ...(preferences.seed !== undefined ? { seed: preferences.seed } : {}),
        });
    // A stored answer is checked by its content: the same bytes for the same operation and status
    // were checked before. Examples are checked once each; dynamic answers every time.
    const text = fromStore && response.body !== undefined ? JSON.stringify(response.body) : undefined;
    const checkKey = fromStore ? `body ${contentHash(text)}` : preferences.dynamic ? undefined : preferences.exampleKey ?? "";
    const broken = this.responseViolations(operation, response, checkKey);
    if (this.errors && broken.length > 0) {
      return errorAnswer(500, [
        `The mock's ${response.statusCode} response for ${operation.iid} breaks the spec, so it is not sent: ${broken.join("; ")}`,
      ]);
    }
    return serialize(response, text);
  }

  /** The answer of the store (stateful mode), as Prism's mocker would give it. */
  private async stateful(
    namespace: string,
    operation: IHttpOperation,
    pathParams: Record<string, string>,
    query: Record<string, string | string[]>,
    body: unknown,
  ): Promise<IHttpResponse> {
    try {
      const operationId = operation.iid ?? "";
      const reply = this.webhooks?.handles(operationId)
        ? await this.engine!.inTurn(namespace, async () =>
            this.webhooks!.respond(namespace, operationId, { path: pathParams, query, body, notFound: () => ({ status: 404, body: { errors: ["Not Found"] } }) }),
          )
        : await this.engine!.respond(namespace, operation, pathParams, query, body);
      return reply.body === undefined
        ? { statusCode: reply.status, headers: {} }
        : { statusCode: reply.status, headers: { "content-type": "application/json" }, body: reply.body };
    } catch (error) {
      throw storeRefusal(error);
    }
  }

  /** The `Mock-Namespace` of a stateful request: its own store, or the default one. */
  private namespace(req: IncomingMessage): string {
    const header = req.headers["mock-namespace"];
    if (header === undefined) return defaultNamespace;
    const name = Array.isArray(header) ? header.join(",") : header;
    const problem = namespaceProblem(name);
    if (problem) throw new Refusal(400, [problem]);
    return name;
  }

  /** `/__mock/...`: the stateful mock's control routes (refused in stateless mode; with `apiKey`, that key only). */
  private async control(req: IncomingMessage, method: string, path: string): Promise<Answer> {
    // With --api-key, resetting or moving the clock takes the same key as the API does.
    if (this.apiKey !== undefined && apiKeyOf(req.headers.authorization) !== this.apiKey) {
      return { status: 401, headers: { "content-type": "text/plain; charset=utf-8" }, body: accessDenied };
    }
    const namespace = this.engine ? this.namespace(req) : defaultNamespace;
    const bytes = method === "POST" ? await readBody(req) : Buffer.alloc(0);
    const body = parseJsonBody(bytes, req.headers["content-type"]);
    if (path === `${controlPrefix}webhooks` && this.webhooks) {
      if (method !== "GET" && method !== "HEAD") return errorAnswer(405, [`${path} takes GET.`], { allow: "GET" });
      return { status: 200, headers: { "content-type": jsonType }, body: JSON.stringify({ namespace, webhooks: this.webhooks.sent(namespace) }) };
    }
    const answer = await control(this.engine, method, path, namespace, body).catch((error: unknown) => {
      throw storeRefusal(error);
    });
    if (answer.status < 300 && this.webhooks) {
      if (path.endsWith("/clock")) await this.webhooks.clockMoved(namespace);
      if (path.endsWith("/reset")) this.webhooks.reset(namespace);
    }
    if (answer.status >= 400) return errorAnswer(answer.status, (answer.body as { errors: string[] }).errors, answer.allow ? { allow: answer.allow } : {});
    if (answer.body === undefined) return { status: answer.status, headers: {} };
    return { status: answer.status, headers: { "content-type": jsonType }, body: JSON.stringify(answer.body) };
  }

  /** The documented 401 (plain text on the real API), or its text when the operation has none. */
  private unauthorized(operation: IHttpOperation): Answer {
    if (operation.responses.some((r) => r.code === "401")) {
      return serialize(mockResponse(operation, { method: "get", url: { path: "/" } }, { dynamic: false, code: 401 }));
    }
    return { status: 401, headers: { "content-type": "text/plain; charset=utf-8" }, body: accessDenied };
  }

  /**
   * A request that breaks the spec, refused as the API would: a bad path id is a 404 (no such
   * resource), anything else the operation's 422 (or 400), in the first of the API's error shapes
   * that the operation's documented schema for that status accepts.
   */
  private refuse(operation: IHttpOperation, violations: Violation[]): Answer {
    const codes = operation.responses.map((r) => r.code);
    // A path that names no resource is a 404 whatever else is wrong: the API looks the resource up
    // before it reads the body.
    const inPath = violations.filter((v) => v.location[1] === "path");
    if (inPath.length > 0 && codes.includes("404")) violations = inPath;
    const status = inPath.length > 0 && codes.includes("404") ? 404 : codes.includes("422") ? 422 : codes.includes("400") ? 400 : 422;
    const headers = { "content-type": jsonType };
    const documentedSchema = operation.responses.find((r) => r.code === String(status))?.contents?.[0]?.schema;
    const candidates = [
      ...errorShapes.map((shape) => violationsBody(shape, violations)),
      // The operation's own shape, when none of the API's usual ones fits its documented schema.
      fitToSchema(documentedSchema, refusalMessages(violations)),
    ].filter((body) => body !== undefined);
    const fits = candidates.find(
      (body) => this.conformance.responseProblems(operation, status, "application/json", JSON.stringify(body)).length === 0,
    );
    return { status, headers, body: JSON.stringify(fits ?? candidates[0]) };
  }

  private responseViolations(operation: IHttpOperation, response: IHttpResponse, exampleKey: string | undefined): string[] {
    const key = exampleKey === undefined ? undefined : `${operation.iid} ${response.statusCode} ${exampleKey}`;
    const known = key === undefined ? undefined : this.checkedResponses.get(key);
    if (known) return known;
    const { headers, body } = serialize(response);
    const messages = this.conformance.responseProblems(operation, response.statusCode, headers["content-type"], body).map(describeConformance);
    if (key !== undefined) {
      // Stored answers are many: keep the memory of checked ones bounded.
      if (this.checkedResponses.size >= maxCheckedResponses) this.checkedResponses.clear();
      this.checkedResponses.set(key, messages);
    }
    return messages;
  }
}

/**
 * The store's own refusals: a full namespace is a 409 (never a 5xx: the test suite asked for more
 * than the mock keeps, and a reset frees it); a shared store out of reach is the mock's 503, which
 * names the store and asks to retry.
 */
function storeRefusal(error: unknown): unknown {
  if (error instanceof StoreFull) return new Refusal(409, [error.message]);
  if (error instanceof StoreUnavailable) return new Refusal(503, [error.message], { "retry-after": "1" });
  return error;
}

/** Prism's "must have required property 'code'" about a query parameter that was sent, but empty. */
function isMissingParam(violation: Violation, flagged: Set<string>): boolean {
  const missing = /must have required property '([^']+)'/.exec(violation.message)?.[1];
  return violation.location[1] === "query" && missing !== undefined && flagged.has(`query.${missing}`);
}

/**
 * The headers Prism validates. `Accept` is dropped: the real API picks the format from the `.json`
 * suffix and answers a JSON client's bad credentials in plain text, where Prism would negotiate on
 * `Accept` and answer `Prefer: code=401` with a 200. The body headers describe the parsed body.
 */
function prismHeaders(req: IncomingMessage, body: unknown): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || name === "accept" || name === "content-type" || name === "content-length") continue;
    if (name === "transfer-encoding") continue;
    headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  if (body !== undefined) {
    headers["content-type"] = "application/json";
    headers["content-length"] = String(Buffer.byteLength(JSON.stringify(body)));
  }
  return headers;
}

/** The answer to send; `text` is the body already written as JSON, when it is. */
function serialize(response: IHttpResponse, text?: string): Answer {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers ?? {})) headers[name.toLowerCase()] = String(value);
  const type = headers["content-type"];
  if (response.body === undefined) {
    delete headers["content-type"];
    return { status: response.statusCode, headers };
  }
  const body = text ?? (typeof response.body === "string" && !type?.includes("json") ? response.body : JSON.stringify(response.body));
  return { status: response.statusCode, headers: { ...headers, "content-type": type ?? jsonType }, body };
}

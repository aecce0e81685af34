/**
 * The request pipeline, from raw request to answer, with no I/O but reading the body: route, then
 * credentials, then the judge (@billing-api/conformance, whose findings are the refusal), then the
 * responder (the stateful engine, or Prism's mocker picking the documented answer).
 */
import { createHash } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { IHttpRequest, IHttpResponse } from "@stoplight/prism-http";
import type { IHttpOperation } from "@stoplight/types";
import { describeConformance, type ConformanceCheck } from "@billing-api/conformance";
import { errorAnswer, jsonType, type Answer } from "./http.js";
import { mockResponse, queryValues } from "./prism.js";
import { refusal } from "./refusal.js";
import { hasApiKey, parseJsonBody, parsePrefer, readBody, Refusal } from "./request.js";
import { apiKeyOf } from "./credentials.js";
import { control, controlPrefix } from "./stateful/control.js";
import { defaultNamespace, namespaceProblem, type StatefulEngine } from "./stateful/engine.js";
import { StoreFull, StoreUnavailable } from "./stateful/store.js";
import type { WebhookDispatcher } from "./webhooks/dispatcher.js";

const accessDenied = "HTTP Basic: Access denied.\n";
/** How many checked answers the mock remembers, so that it checks each distinct body once. */
const maxCheckedResponses = 10_000;

/** A short digest of a body's JSON, to remember that it was checked without keeping it. */
function contentHash(text: string | undefined): string {
  return createHash("sha1").update(text ?? "").digest("base64");
}

/** The path Prism's mocker expects: the template with each parameter percent-encoded. */
function expandTemplate(template: string, params: Record<string, string>): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(params[name] ?? ""));
}

export class BillingMock {
  /** Prism's model of each operation, by operationId: what its mocker and the engine answer from. */
  private readonly prismOperations = new Map<string, IHttpOperation>();
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
    for (const operation of operations) this.prismOperations.set(operation.iid ?? operation.id, operation);
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

    // Route.
    const route = this.conformance.router.route(method, path);
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
    const { pathParams } = route;
    const { operationId } = route.operation;
    const operation = this.prismOperations.get(operationId);
    if (!operation) throw new Error(`Prism has no operation ${operationId}.`);

    // Credentials.
    if (!hasApiKey(req.headers.authorization) || (this.apiKey !== undefined && apiKeyOf(req.headers.authorization) !== this.apiKey)) {
      return this.unauthorized(operation);
    }
    const namespace = this.engine ? this.namespace(req) : defaultNamespace;
    const preferences = parsePrefer(req.headers.prefer, operation);

    // Judge: what the request breaks is the refusal, in the API's words and shape.
    const bytes = await readBody(req);
    const body = operation.request?.body ? parseJsonBody(bytes, req.headers["content-type"]) : undefined;
    const problems = this.conformance.judgeRequest(operationId, {
      pathParams,
      search,
      headers: req.headers,
      ...(body !== undefined ? { bodyText: bytes.toString("utf8") } : {}),
    });
    if (problems.length > 0) return refusal(operation, problems, this.conformance);

    // Respond: stateful mode answers from the store, unless `Prefer` asks for a documented status or example.
    const query = queryValues(search);
    const fromStore =
      (this.engine?.handles(operationId) || this.webhooks?.handles(operationId)) && preferences.code === undefined && preferences.exampleKey === undefined && !preferences.dynamic;
    const response = fromStore
      ? await this.stateful(namespace, operation, pathParams, query, body)
      : mockResponse(operation, prismRequest(operation, pathParams, query, req, body), {
          dynamic: preferences.dynamic ?? false,
          ...(preferences.code !== undefined ? { code: preferences.code } : {}),
          ...(preferences.exampleKey !== undefined ? { exampleKey: preferences.exampleKey } : {}),
          ...(preferences.seed !== undefined ? { seed: preferences.seed } : {}),
        });
    // A stored answer is checked by its content: the same bytes for the same operation and status
    // were checked before. Examples are checked once each; dynamic answers every time.
    const text = fromStore && response.body !== undefined ? JSON.stringify(response.body) : undefined;
    const checkKey = fromStore ? `body ${contentHash(text)}` : preferences.dynamic ? undefined : preferences.exampleKey ?? "";
    const broken = this.responseViolations(operationId, response, checkKey);
    if (this.errors && broken.length > 0) {
      return errorAnswer(500, [`The mock's ${response.statusCode} response for ${operationId} breaks the spec, so it is not sent: ${broken.join("; ")}`]);
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
      return { status: 200, headers: { "content-type": jsonType }, body: JSON.stringify({ namespace, webhooks: await this.webhooks.sent(namespace) }) };
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

  private responseViolations(operationId: string, response: IHttpResponse, exampleKey: string | undefined): string[] {
    const key = exampleKey === undefined ? undefined : `${operationId} ${response.statusCode} ${exampleKey}`;
    const known = key === undefined ? undefined : this.checkedResponses.get(key);
    if (known) return known;
    const { headers, body } = serialize(response);
    const messages = this.conformance.responseProblems(operationId, response.statusCode, headers["content-type"], body).map(describeConformance);
    if (key !== undefined) {
      // Stored answers are many: keep the memory of checked ones bounded.
      if (this.checkedResponses.size >= maxCheckedResponses) this.checkedResponses.clear();
      this.checkedResponses.set(key, messages);
    }
    return messages;
  }
}

/**
 * The request as Prism's mocker reads it. `Accept` is dropped: the real API picks the format from
 * the `.json` suffix and answers a JSON client's bad credentials in plain text, where Prism would
 * negotiate on `Accept` and answer `Prefer: code=401` with a 200.
 */
function prismRequest(operation: IHttpOperation, pathParams: Record<string, string>, query: Record<string, string | string[]>, req: IncomingMessage, body: unknown): IHttpRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || ["accept", "content-type", "content-length", "transfer-encoding"].includes(name)) continue;
    headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  if (body !== undefined) headers["content-type"] = "application/json";
  return { method: operation.method as IHttpRequest["method"], url: { path: expandTemplate(operation.path, pathParams), query }, headers, body };
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

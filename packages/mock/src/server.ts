import { createServer, request as httpRequest, Agent, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { openapiJsonPath } from "@billing-api/spec";
import { startPrism } from "./prism.js";
import { explainInvalidRequest, requestViolations } from "./violations.js";

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
}

export interface MockServer {
  /** Base URL to give the client, such as `http://127.0.0.1:4010`. */
  url: string;
  close(): Promise<void>;
}

/**
 * Starts the Billing API mock: Prism on the bundled spec, behind a small front server that answers
 * invalid requests with a body that says what is wrong.
 */
export async function startMock(options: MockOptions = {}): Promise<MockServer> {
  const { host = "127.0.0.1", port = 4010, document = openapiJsonPath, errors = true, onRequest } = options;
  const prism = await startPrism(document, { errors });
  const upstream = new URL(prism.url);
  const agent = new Agent({ keepAlive: true });

  const forward = (req: IncomingMessage, res: ServerResponse) => {
    const started = performance.now();
    const proxied = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: withoutAccept(req.headers),
        agent,
      },
      (answer) => relay(req, answer, res, () =>
        onRequest?.({
          method: req.method ?? "GET",
          path: req.url ?? "/",
          status: res.statusCode,
          ms: Math.round(performance.now() - started),
        }),
      ),
    );
    proxied.on("error", (error) => {
      if (res.headersSent) return res.destroy(error);
      res.writeHead(502, { "content-type": "application/json" });
      res.end(JSON.stringify({ errors: [`The mock's Prism process failed: ${error.message}`] }));
    });
    req.pipe(proxied);
  };

  const server = createServer(forward);
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const hostForUrl = address.family === "IPv6" ? `[${address.address}]` : address.address;

  return {
    url: `http://${hostForUrl}:${address.port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
      await prism.close();
    },
  };
}

/**
 * The real API picks the format from the `.json` suffix and ignores `Accept`: its 401 is plain text
 * even for a client that asked for JSON. Prism negotiates on `Accept` instead, and would answer
 * `Prefer: code=401` from a JSON client with a 200. Dropping the header makes the mock behave like
 * the real service.
 */
function withoutAccept(headers: IncomingMessage["headers"]): IncomingMessage["headers"] {
  const { accept: _ignored, ...rest } = headers;
  return rest;
}

function relay(req: IncomingMessage, answer: IncomingMessage, res: ServerResponse, done: () => void) {
  const status = answer.statusCode ?? 502;
  const violationsHeader = answer.headers["sl-violations"];
  const violations = requestViolations(Array.isArray(violationsHeader) ? violationsHeader[0] : violationsHeader);
  if (violations.length === 0) {
    res.writeHead(status, answer.headers);
    answer.pipe(res);
    answer.on("end", done);
    return;
  }
  const chunks: Buffer[] = [];
  answer.on("data", (chunk: Buffer) => chunks.push(chunk));
  answer.on("end", () => {
    const original = Buffer.concat(chunks).toString("utf8");
    const explained = explainInvalidRequest(status, answer.headers["content-type"], original, violations);
    const body = explained ?? original;
    const headers = { ...answer.headers, "content-length": String(Buffer.byteLength(body)) };
    delete headers["transfer-encoding"];
    res.writeHead(status, headers);
    res.end(req.method === "HEAD" ? undefined : body);
    done();
  });
}

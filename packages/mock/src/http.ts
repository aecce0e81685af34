/**
 * The mock's HTTP side: a node:http server around the pipeline, answers written out whole, and the
 * requests Node's own parser refuses answered in the API's error shape rather than an empty body.
 */
import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Socket } from "node:net";

/** An answer, ready to send. */
export interface Answer {
  status: number;
  headers: Record<string, string>;
  body?: string;
}

export const jsonType = "application/json; charset=utf-8";

/** `{"errors": [...]}` with a status: the API's own shape for every refusal the mock makes itself. */
export function errorAnswer(status: number, messages: string[], headers: Record<string, string> = {}): Answer {
  return { status, headers: { "content-type": jsonType, ...headers }, body: JSON.stringify({ errors: messages }) };
}

/** The server: each request answered by `answer`, a failure of it a 500 in the API's shape. */
export function httpServer(
  answer: (req: IncomingMessage) => Promise<Answer>,
  onRequest?: (entry: { method: string; path: string; status: number; ms: number }) => void,
): Server {
  const server = createServer(
    // Node's defaults wait five minutes for a slow body; a test suite's mock should not. An idle
    // connection is kept longer than any pause between a test's calls on a busy machine: a client
    // that reuses a socket the server has just closed gets ECONNRESET on a POST, which it may not
    // retry (seen with the old 5 s at a load average of 30). stop() closes every connection itself.
    { requestTimeout: 30_000, headersTimeout: 10_000, keepAliveTimeout: 65_000 },
    (req, res) => {
      const started = performance.now();
      void answer(req).then(
        (answered) => send(req, res, answered),
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
  return server;
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

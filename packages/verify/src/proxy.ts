/**
 * A local proxy in front of the API (or a test site): each call goes to the upstream unchanged and
 * its answer comes back unchanged; in between, the whole exchange is handed to the verifier. Bodies
 * are buffered (the API's are small) so the check sees them whole; a compressed answer is passed on
 * compressed and decompressed only for the check.
 */
import { createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type OutgoingHttpHeaders } from "node:http";
import { request as httpsRequest } from "node:https";
import { listen } from "@billing-api/cli-kit";
import { brotliDecompressSync, gunzipSync, inflateSync } from "node:zlib";
import { harEntry, type RecordedCall } from "./har.js";
import type { Finding, Verifier } from "./verifier.js";
import { readBody } from "./read-body.js";

export interface ProxyOptions {
  /** The API to forward to, such as `https://acme-test.chargify.com` (a base path is kept). */
  upstream: URL;
  verifier: Verifier;
  /** Defaults to 127.0.0.1. */
  host?: string;
  /** Defaults to 0 (a free port; read it from `url`). */
  port?: number;
  /** Keep each exchange as a HAR entry (see `entries`). */
  record?: boolean;
  /** Called after each exchange with its violations (empty when it conforms). */
  onExchange?: (findings: Finding[], call: { method: string; url: string; status: number }) => void;
}

export interface VerifyProxy {
  url: string;
  /** The recorded HAR entries, when `record` is on. */
  entries: Record<string, unknown>[];
  /** Calls the upstream could not answer (connection refused, reset). */
  upstreamFailures: number;
  /** Why the last of them failed (`connect ECONNREFUSED 127.0.0.1:4010`). */
  lastUpstreamError?: string;
  close(): Promise<void>;
}

/** Hop-by-hop headers (RFC 9110 7.6.1) belong to one connection and are not forwarded. */
const hopByHop = new Set(["connection", "keep-alive", "proxy-connection", "proxy-authenticate", "te", "trailer", "transfer-encoding", "upgrade"]);
const maxBodyBytes = 16 * 1024 * 1024;

function flatHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return flat;
}

const readAll = (stream: IncomingMessage) => readBody(stream, maxBodyBytes);

/** The body as the application reads it: decompressed when `Content-Encoding` says so. */
function decoded(body: Buffer, encoding: string | undefined): Buffer {
  try {
    if (encoding === "gzip" || encoding === "x-gzip") return gunzipSync(body);
    if (encoding === "deflate") return inflateSync(body);
    if (encoding === "br") return brotliDecompressSync(body);
  } catch {
    // A body that does not decompress is checked as sent: it will not parse, and that is reported.
  }
  return body;
}

function forward(upstream: URL, req: IncomingMessage, body: Buffer): Promise<{ response: IncomingMessage; body: Buffer }> {
  const target = new URL(upstream.href.replace(/\/$/, "") + (req.url ?? "/"));
  const headers: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(req.headers)) {
    // The body is already here whole, so the upstream need not be asked to expect it.
    if (!hopByHop.has(name) && name !== "host" && name !== "expect" && value !== undefined) headers[name] = value;
  }
  if (body.length > 0 || req.headers["content-length"] !== undefined) headers["content-length"] = String(body.length);
  const send = target.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const outgoing = send(target, { method: req.method, headers, timeout: 60_000 }, (response) => {
      readAll(response).then((answer) => resolve({ response, body: answer }), reject);
    });
    outgoing.once("timeout", () => outgoing.destroy(new Error("the upstream did not answer within 60 s")));
    outgoing.once("error", reject);
    outgoing.end(body);
  });
}

export async function startVerifyProxy(options: ProxyOptions): Promise<VerifyProxy> {
  const { upstream, verifier, host = "127.0.0.1", port = 0, record = false, onExchange } = options;
  const entries: Record<string, unknown>[] = [];
  const proxy: VerifyProxy = { url: "", entries, upstreamFailures: 0, close: async () => {} };

  const server = createServer(async (req, res) => {
    const startedAt = new Date();
    const started = performance.now();
    let requestBody: Buffer;
    let answer: { response: IncomingMessage; body: Buffer };
    try {
      requestBody = await readAll(req);
      answer = await forward(upstream, req, requestBody);
    } catch (error) {
      proxy.upstreamFailures++;
      proxy.lastUpstreamError = (error as Error).message;
      if (res.headersSent || res.destroyed) return void res.destroy();
      const body = JSON.stringify({ errors: [`billing-verify could not reach the upstream: ${(error as Error).message}`] });
      res.writeHead(502, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(body) });
      return void res.end(body);
    }
    const { response } = answer;
    const responseHeaders: OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(response.headers)) {
      if (!hopByHop.has(name) && value !== undefined) responseHeaders[name] = value;
    }
    // The body goes on whole, so a chunked answer gets its length; a HEAD keeps the upstream's.
    if (response.headers["content-length"] === undefined && response.headers["transfer-encoding"] !== undefined) {
      responseHeaders["content-length"] = String(answer.body.length);
    }
    res.writeHead(response.statusCode ?? 502, response.statusMessage, responseHeaders);
    res.end(answer.body);

    const ms = Math.round(performance.now() - started);
    const requestHeaders = flatHeaders(req.headers);
    const received = flatHeaders(response.headers);
    const url = new URL(upstream.href.replace(/\/$/, "") + (req.url ?? "/"));
    const status = response.statusCode ?? 0;
    // HAR keeps bodies decoded, as the application reads them.
    const sent = decoded(requestBody, req.headers["content-encoding"]);
    const responseBody = decoded(answer.body, response.headers["content-encoding"]);
    const findings = verifier.add(url, { method: req.method ?? "GET", requestHeaders, requestBody: sent, status, responseHeaders: received, responseBody });
    if (record) {
      const call: RecordedCall = { startedAt, ms, method: req.method ?? "GET", url: url.href, requestHeaders, requestBody: sent, status, statusText: response.statusMessage ?? "", responseHeaders: received, responseBody };
      entries.push(harEntry(call));
    }
    onExchange?.(findings, { method: req.method ?? "GET", url: url.href, status });
  });
  // The proxy is for local use; a slow client should not hold it for minutes.
  server.requestTimeout = 120_000;
  // Idle connections outlive a client's pauses on a busy machine (a socket reused just as the
  // server closed it is an ECONNRESET the client may not retry); close() closes them all itself.
  server.keepAliveTimeout = 65_000;

  proxy.url = await listen(server, port, host);
  proxy.close = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return proxy;
}

import { request } from "undici";

/** What a test reads of an answer: the status, the headers (lower-case names) and the body as text. */
export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/**
 * One HTTP request from a test, sent with undici's `request` rather than `fetch`. Tests that send
 * raw requests by the thousand (the fuzzer's oracle, the model tests, one-judge) spent more CPU in
 * fetch's own machinery (streams, Headers, abort signals: about 0.5 ms a request) than the mock
 * spent answering (0.1 ms). The wire is the same to the mock. The typed client keeps fetch, as its
 * users have it, and so do its tests and the contract tests.
 */
export async function httpRequest(url: string | URL, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  const response = await request(url, { method: (init.method ?? "GET") as "GET", headers: init.headers, body: init.body });
  return { status: response.statusCode, headers: response.headers, text: await response.body.text() };
}

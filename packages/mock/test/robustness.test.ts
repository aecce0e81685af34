import { request as httpRequest } from "node:http";
import { connect } from "node:net";
import { startMock, type MockServer } from "@billing-api/mock";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { judge, router } from "./oracle.js";
import { seededPicker } from "@billing-api/test-support/random";
import { operations } from "@billing-api/test-support/spec";

// Teams run the mock inside their own suites: no request may crash it, hang it or get a 5xx, and
// every refusal is in the API's error shape with a message. This file sends it the request families
// that used to kill or confuse it, generated from the bundled document with a fixed seed.

let mock: MockServer;
beforeAll(async () => {
  mock = await startMock({ port: 0 });
});
afterAll(() => mock.close());

const auth = `Basic ${Buffer.from("test-api-key:x").toString("base64")}`;

const { rand, pick } = seededPicker(20261121);

interface Sent {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}
interface Answer {
  status: number;
  type: string;
  text: string;
}

/** Sends exactly these bytes of path and body (fetch would normalise `..` and escapes first). */
function send({ method, path, headers = {}, body }: Sent): Promise<Answer> {
  const url = new URL(mock.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: url.hostname, port: url.port, method, path, headers: { authorization: auth, ...headers }, timeout: 10_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, type: res.headers["content-type"] ?? "", text: Buffer.concat(chunks).toString("utf8") }),
        );
      },
    );
    req.on("timeout", () => req.destroy(new Error(`${method} ${path} hung`)));
    req.on("error", reject);
    req.end(body);
  });
}

/** A refusal in the API's shape: a JSON body whose `errors` says something, or the plain-text 401. */
function expectApiRefusal(answer: Answer, sent: Sent) {
  const what = `${sent.method} ${sent.path} -> ${answer.status} ${answer.text}`;
  expect(answer.status, what).toBeGreaterThanOrEqual(400);
  expect(answer.status, what).toBeLessThan(500);
  if (answer.status === 401) return expect(answer.text, what).toBe("HTTP Basic: Access denied.\n");
  expect(answer.type, what).toMatch(/^application\/json/);
  const body = JSON.parse(answer.text) as { errors?: unknown };
  const flatten = (errors: unknown): unknown[] =>
    typeof errors === "string" ? [errors] : Array.isArray(errors) ? errors.flatMap(flatten) : Object.values(errors as object).flatMap(flatten);
  // applyCouponsToSubscription answers without the `errors` wrapper: its messages sit at the top.
  const messages = flatten(body.errors ?? body);
  expect(messages.length, what).toBeGreaterThan(0);
  for (const message of messages) expect(String(message).length, what).toBeGreaterThan(10);
}

/** A concrete path for an operation, with a valid id in every parameter. */
const concrete = (path: string) => path.replace(/\{[^}]+\}/g, (name) => (name === "{uid}" ? "grp_b9fkz5jyd7tq" : name === "{chargify_token}" ? "tok_9g6hw85pnpt6knmskpwp4ttt" : "10089892"));
const templated = operations.filter(({ path }) => path.includes("{"));
const withBody = operations.filter(({ operation }) => operation.requestBody);
const upper = (method: string) => method.toUpperCase();

function brokenEscapes(): Sent[] {
  const escapes = ["%E2%82", "%", "%FF%FE", "%zz", "%%", "%C0%AF", "%ED%A0%80", "%2", "abc%", "%E2%82%AC%E2"];
  return Array.from({ length: 160 }, () => {
    const { method, path } = pick(templated);
    const segments = concrete(path).split("/");
    const index = 1 + Math.floor(rand() * (segments.length - 1));
    segments[index] = `${pick(escapes)}${segments[index]!.endsWith(".json") ? ".json" : ""}`;
    return { method: upper(method), path: segments.join("/") };
  });
}

function unknownBodyKeys(): Sent[] {
  const keys = ["имя", "名前", "🙂", "ключ\u0000", "é".repeat(3000), "a\u2028b", "\ud800"];
  return Array.from({ length: 60 }, () => {
    const { method, path } = pick(withBody);
    const wrapper = path.includes("verification") ? "bank_account_verification" : "payment_profile";
    const body = JSON.stringify({ [wrapper]: { [pick(keys)]: "x", customer_id: 150 } });
    return { method: upper(method), path: concrete(path), headers: { "content-type": "application/json" }, body };
  });
}

function manyViolations(): Sent[] {
  // Hundreds of unknown keys: Prism's violation header overflowed 8 KB and the reasons were lost.
  return withBody.map(({ method, path }) => ({
    method: upper(method),
    path: concrete(path),
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ payment_profile: Object.fromEntries(Array.from({ length: 400 }, (_, i) => [`unknown_field_${i}`, i])) }),
  }));
}

function badPrefer(): Sent[] {
  const prefers = ["code=418", "code=abc", "code=2000", "example=nope", "code=422, example=nope", "code=200, example=notFound", "dynamic=maybe"];
  return Array.from({ length: 60 }, () => {
    const { method, path } = pick(operations);
    return { method: upper(method), path: concrete(path), headers: { prefer: pick(prefers) } };
  });
}

function badBodies(): Sent[] {
  const bodies: [string, string | Buffer][] = [
    ["application/json", "{"],
    ["application/json", '{"payment_profile": '],
    ["application/json", "nul"],
    ["application/json", Buffer.from([0xff, 0xfe, 0x7b, 0x7d])],
    ["application/json", '{"a":1}garbage'],
    [";;", "{}"],
    // A parameter without a value is tolerated, as servers do; the unknown key is what is refused.
    ["application/json; charset", '{"unknown_field": 1}'],
    ["text/plain", "hello"],
    ["multipart/form-data; boundary=x", "--x--"],
    ["application/x-www-form-urlencoded", "a=b"],
  ];
  return Array.from({ length: 60 }, () => {
    const { method, path } = pick(withBody);
    const [type, body] = pick(bodies);
    return { method: upper(method), path: concrete(path), headers: { "content-type": type }, body };
  });
}

function badParameters(): Sent[] {
  const junk = ["Infinity", "-Infinity", "NaN", "1e3", "0x10", "1.5", "", " 1", "9".repeat(40), "true", "%00"];
  const takes = (name: string) => ({ operation }: (typeof operations)[number]) =>
    (operation.parameters ?? []).some((parameter) => (parameter as { name?: string; $ref?: string }).$ref?.endsWith(name));
  const lists = operations.filter(takes("PageQuery")).concat(operations.filter(takes("AutoInvite")));
  const paths = templated.map(({ method, path }) => ({
    method: upper(method),
    path: path.replace(/\{([^}]+)\}/g, (name) => (name === "{uid}" || name === "{chargify_token}" ? "x" : encodeURIComponent(pick(junk)) || "0.5")),
  }));
  const queries = Array.from({ length: 40 }, () => {
    const { method, path } = pick(lists.length > 0 ? lists : operations);
    const query = path.includes("/enable.json")
      ? `auto_invite=${pick(["7", "yes", "-1", ...junk.map(encodeURIComponent)])}`
      : `page=${encodeURIComponent(pick(junk))}&per_page=${encodeURIComponent(pick(junk))}`;
    return { method: upper(method), path: `${concrete(path)}?${query}` };
  });
  return [...paths.filter(({ path }) => !path.includes("/x")), ...queries];
}

function badPaths(): Sent[] {
  const paths = operations.flatMap(({ path }) => {
    const real = concrete(path);
    const variants = [`/${real}`, `${real}/`, real.replace(".json", ""), real.replace(/\/([^/]+)\//, "/../"), `${real.replace(".json", "")}.xml`, `/nope${real}`];
    return variants.filter((variant) => variant !== real);
  });
  const methods = ["PATCH", "OPTIONS", "TRACE", "PROPFIND", "PUT", "DELETE"];
  return [
    ...paths.map((path) => ({ method: "GET", path })),
    ...operations.map(({ path }) => {
      // A method another template takes at the same URL (DELETE /subscription_groups/lookup.json is
      // deleteSubscriptionGroup with uid "lookup") is a real route, not a wrong method.
      const routed = (method: string) => router.route(method, concrete(path)).kind === "matched";
      return { method: pick(methods.filter((method) => method === "OPTIONS" || !routed(method))), path: concrete(path) };
    }),
  ];
}

function badCredentials(): Sent[] {
  const headers = ["", "Basic", "Basic ", "Basic Og==", `Basic ${btoa(":x")}`, "Basic !!!", "Bearer abc", `Basic ${btoa("no-colon")}`];
  return operations.map(({ method, path }) => ({ method: upper(method), path: concrete(path), headers: { authorization: pick(headers) } }));
}

const families: [string, Sent[]][] = [
  ["broken percent escapes in the path", brokenEscapes()],
  ["unknown body keys outside Latin-1", unknownBodyKeys()],
  ["bodies with hundreds of violations", manyViolations()],
  ["unknown Prefer codes and examples", badPrefer()],
  ["malformed bodies and media types", badBodies()],
  ["junk in integer parameters", badParameters()],
  ["unknown paths, '..' and wrong methods", badPaths()],
  ["missing or empty credentials", badCredentials()],
];

describe("mock: hostile requests, generated (seeded)", () => {
  test("the generator makes a few hundred requests", () => {
    expect(families.reduce((n, [, sent]) => n + sent.length, 0)).toBeGreaterThan(500);
  });

  test.each(families)("%s: each one refused in the API's shape, none a 5xx", async (_family, sent) => {
    const undocumented: string[] = [];
    for (const request of sent) {
      const answer = await send(request);
      if (request.method === "OPTIONS" && answer.status === 204) continue;
      expectApiRefusal(answer, request);
      // A Prefer the operation does not document is the mock's own 400, about the mock's own header.
      if (!request.headers?.prefer) undocumented.push(...judge(request, answer));
    }
    expect(undocumented.slice(0, 10), `${undocumented.length} answers the operation does not document`).toEqual([]);
  });

  test("a body with hundreds of violations still gets every one of them, by name", async () => {
    const answer = await send(manyViolations().find(({ path }) => path === "/payment_profiles.json")!);
    expect(answer.status).toBe(422);
    expect(answer.text).toContain("unknown_field_399");
  });

  test("an unknown Prefer example is refused naming the documented ones, even where success has no body", async () => {
    const answer = await send({ method: "DELETE", path: "/payment_profiles/10089892.json", headers: { prefer: "code=422, example=nope" } });
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text)).toEqual({
      errors: ["Prefer: example=nope is not an example of deleteUnusedPaymentProfile 422. Documented examples of 422: inUse."],
    });
  });

  test("a documented example asked for under the wrong status is pointed to its status", async () => {
    const answer = await send({ method: "GET", path: "/payment_profiles/10089892.json", headers: { prefer: "example=notFound" } });
    expect(JSON.parse(answer.text).errors[0]).toContain("send Prefer: code=404, example=notFound");
  });

  test("HEAD answers like GET, without a body", async () => {
    const answer = await send({ method: "HEAD", path: "/payment_profiles/10089892.json" });
    expect(answer.status).toBe(200);
    expect(answer.text).toBe("");
  });

  test("a password containing ':' is accepted: only the first ':' splits the credentials", async () => {
    const answer = await send({ method: "GET", path: "/payment_profiles/10089892.json", headers: { authorization: `Basic ${btoa("key:x:y")}` } });
    expect(answer.status).toBe(200);
  });

  test("an empty JSON object on an operation that takes no body is ignored, as the API ignores it", async () => {
    const answer = await send({
      method: "POST",
      path: "/subscriptions/23451/request_payment_profiles_update.json",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(answer.status).toBe(201);
  });

  test("still answers a normal request after all of the above", async () => {
    const answer = await send({ method: "GET", path: "/portal/customers/150/management_link.json" });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text).url).toMatch(/^https:\/\//);
  });
});

/** Writes raw bytes on a fresh connection and returns everything the mock sends back before closing. */
function raw(bytes: string, { end = true } = {}): Promise<string> {
  const url = new URL(mock.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname);
    const chunks: Buffer[] = [];
    socket.setTimeout(10_000, () => socket.destroy(new Error("no answer")));
    socket.on("data", (chunk) => chunks.push(chunk));
    socket.on("close", () => resolve(Buffer.concat(chunks).toString("latin1")));
    socket.on("error", reject);
    socket.write(bytes, "latin1");
    if (end) socket.end();
  });
}

const jsonErrorHead = (status: number) => new RegExp(`^HTTP/1\\.1 ${status} [^\\r]+\\r\\ncontent-type: application/json`);

describe("mock: requests Node's HTTP parser refuses", () => {
  test("an oversized head is a 431 with a JSON body", async () => {
    const answer = await raw(`GET /payment_profiles.json HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`);
    expect(answer).toMatch(jsonErrorHead(431));
    expect(answer).toContain('{"errors":["The request head is larger than');
  });

  test("a malformed request line or header is a 400 with a JSON body", async () => {
    for (const bytes of ["GARBAGE\r\n\r\n", "GET /payment_profiles.json HTTP/1.1\r\nBad Header: x\r\n\r\n", "GET / HTTP/9.9\r\n\r\n"]) {
      const answer = await raw(bytes);
      expect(answer, JSON.stringify(bytes)).toMatch(jsonErrorHead(400));
      expect(answer).toContain('{"errors":["The request is not valid HTTP');
    }
  });

  test("an expectation other than 100-continue is a 417 with a JSON body", async () => {
    const answer = await send({ method: "GET", path: "/payment_profiles.json", headers: { expect: "the-unexpected" } });
    expect(answer.status).toBe(417);
    expect(JSON.parse(answer.text).errors[0]).toContain("100-continue");
  });

  test("a body over 1 MiB is a 413", async () => {
    const answer = await send({
      method: "POST",
      path: "/payment_profiles.json",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ payment_profile: { memo: "x".repeat(1_100_000) } }),
    });
    expect(answer.status).toBe(413);
  });

  test("a client that gives up halfway through a body leaves no socket open in the mock", async () => {
    const sockets = () => process.getActiveResourcesInfo().filter((name) => name === "TCPSocketWrap").length;
    const before = sockets();
    const url = new URL(mock.url);
    await Promise.all(
      Array.from({ length: 5 }, () =>
        new Promise<void>((resolve) => {
          const socket = connect(Number(url.port), url.hostname, () => {
            socket.write(
              `POST /payment_profiles.json HTTP/1.1\r\nHost: x\r\nAuthorization: ${auth}\r\n` +
                `Content-Type: application/json\r\nContent-Length: 5000\r\n\r\n{"payment_profile": {`,
            );
            setTimeout(() => socket.destroy(), 50);
          });
          socket.on("close", () => resolve());
        }),
      ),
    );
    await expect.poll(sockets, { timeout: 2_000 }).toBeLessThanOrEqual(before);
    const answer = await send({ method: "GET", path: "/payment_profiles/10089892.json" });
    expect(answer.status).toBe(200);
  });
});

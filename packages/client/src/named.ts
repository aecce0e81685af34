/**
 * Operation-named methods: `billing.paymentProfiles.readPaymentProfile({ payment_profile_id })`,
 * built at runtime from the generated operation table and typed from the generated `operations`.
 * One argument holds the path and query parameters by their spec names and the body under `body`.
 */
import type { CoreParts } from "./core.js";
import type { OperationError } from "./errors.js";
import type { operations } from "./generated/openapi.js";
import { sendResiliently, type ResilienceOptions } from "./resilience.js";
import { retryAtOf } from "./retry-at.js";

type Defined<T> = [NonNullable<T>] extends [never] ? {} : NonNullable<T>;
type ParametersIn<O, In extends string> = O extends { parameters: infer P } ? (In extends keyof P ? Defined<P[In]> : {}) : {};
// `body` is optional exactly where the spec's `requestBody.required` is false or absent, which
// openapi-typescript writes as an optional `requestBody?` key. The key itself is asked, outside the
// conditional below: inferring from an optional key drops its `undefined`, and inside the true branch
// `O` is narrowed to have it. (`{} extends` holds under exactOptionalPropertyTypes too.)
type BodyIsOptional<O> = {} extends Pick<O, "requestBody" & keyof O> ? true : false;
type BodyArgument<O> = O extends { requestBody?: infer R }
  ? [NonNullable<R>] extends [never]
    ? {}
    : NonNullable<R> extends { content: { "application/json": infer B } }
      ? BodyIsOptional<O> extends true
        ? { body?: B }
        : { body: B }
      : {}
  : {};
type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** The one argument of an operation's method: path and query parameters, and `body`. */
export type OperationArgs<O> = Simplify<ParametersIn<O, "path"> & ParametersIn<O, "query"> & BodyArgument<O>>;

type SuccessStatus<R> = { [S in keyof R]: S extends number ? (`${S}` extends `2${string}` ? S : never) : never }[keyof R];
type ContentOf<Response> = Response extends { content: infer C } ? C[keyof C] : undefined;
/** The body of an operation's documented success (`undefined` for a 204). */
export type OperationData<O> = O extends { responses: infer R } ? ContentOf<R[SuccessStatus<R>]> : never;

/**
 * What every named method resolves to: the success body in `data`, or a documented error in
 * `error`, discriminated by `status` so that `if (error?.status === 422)` types `error.body`, with
 * `retryAt` when the server said when the call may succeed again.
 * Network failures and timeouts are thrown (`BillingNetworkError`, `BillingTimeoutError`).
 */
export type OperationResult<O> =
  | { data: OperationData<O>; error: undefined; response: Response }
  | { data: undefined; error: OperationError<O>; response: Response };

/** Per-call options: an abort signal, extra headers, and the client's timeout and retry overridden. */
export interface CallOptions extends ResilienceOptions {
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

export type OperationMethod<O> = {} extends OperationArgs<O>
  ? (args?: OperationArgs<O>, options?: CallOptions) => Promise<OperationResult<O>>
  : (args: OperationArgs<O>, options?: CallOptions) => Promise<OperationResult<O>>;

type Table = Record<string, Record<string, readonly [string, string]>>;

/** The named methods of a table, by group (tag) and operationId. */
export type NamedOperations<T extends Table> = {
  [Group in keyof T]: { [Id in keyof T[Group]]: Id extends keyof operations ? OperationMethod<operations[Id]> : never };
};

/**
 * Builds the named methods of `table`. They send with `fetch(url, init)` directly, not through
 * openapi-fetch's Request objects: that keeps a call within a few per cent of a raw fetch (see
 * bench/). Middleware added with `use()` applies to the path-based methods only.
 */
export function bindOperations<T extends Table>(table: T, core: CoreParts): NamedOperations<T> {
  const groups: Record<string, Record<string, unknown>> = {};
  for (const [group, entries] of Object.entries(table)) {
    const methods: Record<string, unknown> = (groups[group] = {});
    for (const [id, [method, path]] of Object.entries(entries)) {
      methods[id] = (args?: Record<string, unknown>, options?: CallOptions) => call(core, method, path, args, options);
    }
  }
  return groups as NamedOperations<T>;
}

/**
 * The URL of a call: path parameters substituted, the others in the query (`include[]` repeated,
 * an object as the API's deepObject filters: `metadata[Estate]=Mount%20Vernon`).
 */
function urlOf(baseUrl: string, path: string, parameters: Record<string, unknown>): string {
  const query: string[] = [];
  let url = path;
  for (const [name, value] of Object.entries(parameters)) {
    if (value === undefined) continue;
    if (path.includes(`{${name}}`)) url = url.replace(`{${name}}`, encodeURIComponent(String(value)));
    else if (typeof value === "object" && value !== null && !Array.isArray(value)) {
      for (const [key, item] of Object.entries(value)) query.push(`${name}[${encodeURIComponent(key)}]=${encodeURIComponent(String(item))}`);
    } else for (const item of Array.isArray(value) ? value : [value]) query.push(`${name}=${encodeURIComponent(String(item))}`);
  }
  return baseUrl + url + (query.length ? `?${query.join("&")}` : "");
}

async function call(core: CoreParts, method: string, path: string, args: Record<string, unknown> = {}, options: CallOptions = {}) {
  const { body, ...parameters } = args;
  const url = urlOf(core.baseUrl, path, parameters);
  const init = { method, headers: options.headers ? { ...core.headers, ...options.headers } : core.headers, body: body === undefined ? null : JSON.stringify(body) };
  const injected = core.runtime.fetch;
  const response = await sendResiliently(
    core.runtime,
    { timeoutMs: options.timeoutMs ?? core.defaults.timeoutMs, retry: options.retry ?? core.defaults.retry },
    method,
    url,
    (signal) => (injected ? injected(new Request(url, { ...init, signal })) : fetch(url, { ...init, signal })),
    options.signal,
  );
  // Like openapi-fetch, an empty body is not read, so `response` can still be read by the caller.
  const text = response.status === 204 || response.headers.get("content-length") === "0" ? "" : await response.text();
  const parsed = text === "" ? undefined : /\bjson\b/.test(response.headers.get("content-type") ?? "") ? JSON.parse(text) : text;
  if (response.ok) return { data: parsed, error: undefined, response };
  // An error with an empty body (some 404s) gets the usual shape, so `error.body` is never empty.
  const error: { status: number; body: unknown; retryAt?: Date } = { status: response.status, body: parsed ?? { errors: [`${response.status} ${response.statusText}`.trim()] } };
  const retryAt = retryAtOf(response.headers, parsed, (core.runtime.now ?? Date.now)());
  if (retryAt) error.retryAt = retryAt;
  return { data: undefined, error, response };
}

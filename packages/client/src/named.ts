/**
 * Operation-named methods: `billing.paymentProfiles.readPaymentProfile({ payment_profile_id })`,
 * built at runtime from the generated operation table and typed from the generated `operations`.
 * One argument holds the path and query parameters by their spec names and the body under `body`.
 */
import type { Client } from "openapi-fetch";
import type { OperationError } from "./errors.js";
import type { operations, paths } from "./generated/openapi.js";
import { resilientFetch, type ResilienceOptions, type ResilienceRuntime } from "./resilience.js";

type Defined<T> = [NonNullable<T>] extends [never] ? {} : NonNullable<T>;
type ParametersIn<O, In extends string> = O extends { parameters: infer P } ? (In extends keyof P ? Defined<P[In]> : {}) : {};
type BodyArgument<O> = O extends { requestBody?: infer R }
  ? [NonNullable<R>] extends [never]
    ? {}
    : NonNullable<R> extends { content: { "application/json": infer B } }
      ? undefined extends R
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
 * `error`, discriminated by `status` so that `if (error?.status === 422)` types `error.body`.
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

/** Builds the named methods of `table` on top of a path-based client. */
export function bindOperations<T extends Table>(
  client: Client<paths, `${string}/${string}`>,
  table: T,
  runtime: ResilienceRuntime,
  defaults: ResilienceOptions,
): NamedOperations<T> {
  const groups: Record<string, Record<string, unknown>> = {};
  for (const [group, entries] of Object.entries(table)) {
    const methods: Record<string, unknown> = (groups[group] = {});
    for (const [id, [method, path]] of Object.entries(entries)) {
      methods[id] = (args?: Record<string, unknown>, options?: CallOptions) => call(client, method, path, args, runtime, { ...defaults, ...options });
    }
  }
  return groups as NamedOperations<T>;
}

async function call(
  client: Client<paths, `${string}/${string}`>,
  method: string,
  path: string,
  args: Record<string, unknown> = {},
  runtime: ResilienceRuntime,
  options: CallOptions,
): Promise<{ data: unknown; error: unknown; response: Response }> {
  const { body, ...parameters } = args;
  const pathParameters: Record<string, unknown> = {};
  const query: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(parameters)) (path.includes(`{${name}}`) ? pathParameters : query)[name] = value;
  const { signal, headers, timeoutMs, retry } = options;
  const init = {
    params: { path: pathParameters, query },
    ...(body === undefined ? {} : { body }),
    ...(headers ? { headers } : {}),
    ...(signal ? { signal } : {}),
    fetch: resilientFetch(runtime, { ...(timeoutMs === undefined ? {} : { timeoutMs }), ...(retry === undefined ? {} : { retry }) }),
  };
  // The table pairs each method with its path, so the path-based client's own typing adds nothing here.
  const result = await (client.request as (method: string, path: string, init: unknown) => Promise<{ data?: unknown; error?: unknown; response: Response }>)(method, path, init);
  return result.response.ok
    ? { data: result.data, error: undefined, response: result.response }
    : { data: undefined, error: { status: result.response.status, body: result.error }, response: result.response };
}

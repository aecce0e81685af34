/**
 * Prism's HTTP mocker, called as a plain function: it picks and generates the documented answer for
 * a request the judge (@billing-api/conformance) has already accepted. Running it in-process instead
 * of behind Prism's own server means a failure is caught per request and there is no second hop.
 *
 * The deep import is Prism's own module; the version is pinned in package.json.
 */
// First: what Prism loads but a mock seldom uses is loaded at its first use (lazy-dependencies.ts).
import "./lazy-dependencies.js";
import { createLogger } from "@stoplight/prism-core";
import type { PrismHttpComponents, IHttpOperationConfig, IHttpRequest, IHttpResponse } from "@stoplight/prism-http";
import { createRequire } from "node:module";
import type { IHttpOperation } from "@stoplight/types";

const logger = createLogger("billing-mock", { level: "silent" });
// CommonJS, loaded with require: ESM interop differs between Node and bundlers (vitest's module
// runner), and `exports.default` of the mocker would be one level deeper in one of them.
const require = createRequire(import.meta.url);
const mock = (require("@stoplight/prism-http/dist/mocker/index.js") as { default: PrismHttpComponents["mock"] }).default;

/** The documented response Prism picks for a valid request, as configured by `Prefer`. */
export function mockResponse(operation: IHttpOperation, request: IHttpRequest, config: IHttpOperationConfig): IHttpResponse {
  const result = mock({ resource: operation, input: { data: request, validations: [] }, config })(logger);
  if (result._tag === "Left") throw result.left;
  return result.right;
}

/** Query parameters as Prism's mocker reads them: a string, or a list when the name repeats. */
export function queryValues(search: string): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  const params = new URLSearchParams(search);
  for (const key of new Set(params.keys())) {
    const all = params.getAll(key);
    query[key] = all.length === 1 ? all[0]! : all;
  }
  return query;
}

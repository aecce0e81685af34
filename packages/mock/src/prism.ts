/**
 * Prism's HTTP mock and validators, called as plain functions. Running them in-process instead of
 * behind Prism's own server means the request violations arrive as values (not in an `sl-violations`
 * header that is cut at 8 KB and refused by Node when a key is outside Latin-1), a failure is caught
 * per request, and there is no second HTTP hop.
 *
 * The deep imports are Prism's own modules (prism-http exports only the assembled pipeline, which
 * routes, normalises `..` and throws on bad escapes); the version is pinned in package.json.
 */
import { createLogger } from "@stoplight/prism-core";
import { getHttpOperationsFromSpec, type PrismHttpComponents, type IHttpOperationConfig, type IHttpRequest, type IHttpResponse } from "@stoplight/prism-http";
import { createRequire } from "node:module";
import type { IPrismDiagnostic } from "@stoplight/prism-core";
import type { IHttpOperation } from "@stoplight/types";
import type * as validatorModule from "@stoplight/prism-http/dist/validator/index.js";

const logger = createLogger("billing-mock", { level: "silent" });
// CommonJS modules, loaded with require: ESM interop differs between Node and bundlers (vitest's
// module runner), and `exports.default` of the mocker would be one level deeper in one of them.
const require = createRequire(import.meta.url);
const mock = (require("@stoplight/prism-http/dist/mocker/index.js") as { default: PrismHttpComponents["mock"] }).default;
const { validateInput, validateOutput } = require("@stoplight/prism-http/dist/validator/index.js") as typeof validatorModule;

/** Every operation of an OpenAPI document, as Prism models them. */
export async function loadOperations(document: string): Promise<IHttpOperation[]> {
  const operations = await getHttpOperationsFromSpec(document);
  if (operations.length === 0) throw new Error(`${document} has no operations to mock.`);
  return operations;
}

/** The request's violations of the operation's parameters and body; empty when it is valid. */
export function validateRequest(operation: IHttpOperation, request: IHttpRequest): IPrismDiagnostic[] {
  const result = validateInput({ resource: operation, element: request });
  return result._tag === "Left" ? [...result.left] : [];
}

/** The documented response Prism picks for a valid request, as configured by `Prefer`. */
export function mockResponse(operation: IHttpOperation, request: IHttpRequest, config: IHttpOperationConfig): IHttpResponse {
  const result = mock({ resource: operation, input: { data: request, validations: [] }, config })(logger);
  if (result._tag === "Left") throw result.left;
  return result.right;
}

/** Where the response breaks its own documented schema (status, media type, body, headers). */
export function validateResponse(operation: IHttpOperation, response: IHttpResponse): IPrismDiagnostic[] {
  const result = validateOutput({ resource: operation, element: response });
  return result._tag === "Left" ? [...result.left] : [];
}

/**
 * The operations of an OpenAPI document as Prism models them, and Prism's parameter validator. The
 * deep import is Prism's own module (prism-http exports only the assembled pipeline); the version is
 * pinned in package.json.
 */
import { getHttpOperationsFromSpec, type IHttpRequest } from "@stoplight/prism-http";
import { createRequire } from "node:module";
import type { IPrismDiagnostic } from "@stoplight/prism-core";
import type { IHttpOperation } from "@stoplight/types";
import type * as validatorModule from "@stoplight/prism-http/dist/validator/index.js";

// CommonJS, loaded with require: ESM interop differs between Node and bundlers (vitest's runner).
const require = createRequire(import.meta.url);
const { validateInput } = require("@stoplight/prism-http/dist/validator/index.js") as typeof validatorModule;

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

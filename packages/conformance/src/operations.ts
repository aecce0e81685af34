/**
 * The operations of an OpenAPI document, read from the document itself: what the router matches and
 * the judge checks. Each part is a JSON pointer into the document, so every schema is judged by the
 * one Ajv set-up (`schema-check.ts`) in its place, `$ref`s and all.
 */
import { escapeSegment, isObject, valueAtPointer } from "./json.js";

export type ParameterLocation = "path" | "query" | "header";

export interface DocumentParameter {
  name: string;
  in: ParameterLocation;
  required: boolean;
  /** Where its schema is (`/components/parameters/Page/schema`). */
  schemaPointer: string;
  /** `form` (the default for a query) or `deepObject` (`metadata[key]=value`). */
  style: string;
}

export interface DocumentOperation {
  operationId: string;
  /** Lower case, as the document spells it. */
  method: string;
  /** The path template (`/customers/{customer_id}.json`). */
  path: string;
  /** The operation object's pointer (`/paths/~1customers.json/post`). */
  pointer: string;
  parameters: DocumentParameter[];
  /** The request body object's pointer (its `$ref` followed), when the operation takes one. */
  requestBody?: string;
}

const methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/** Follows `$ref`s inside the document to the pointer of what they name. */
export function followRef(document: unknown, pointer: string): string {
  for (let hops = 0; hops < 20; hops++) {
    const node = valueAtPointer(document, pointer);
    if (!isObject(node) || typeof node.$ref !== "string" || !node.$ref.startsWith("#")) return pointer;
    pointer = node.$ref.slice(1);
  }
  return pointer;
}


/** Every operation of the document, with its parameters (the path item's and its own, merged once, here). */
export function documentOperations(document: Record<string, unknown>): DocumentOperation[] {
  const operations: DocumentOperation[] = [];
  for (const [path, item] of Object.entries((document.paths ?? {}) as Record<string, unknown>)) {
    if (!isObject(item)) continue;
    const itemPointer = `/paths/${escapeSegment(path)}`;
    for (const method of methods) {
      const operation = item[method];
      if (!isObject(operation)) continue;
      const pointer = `${itemPointer}/${method}`;
      const byKey = new Map<string, DocumentParameter>();
      for (const base of [`${itemPointer}/parameters`, `${pointer}/parameters`]) {
        const list = valueAtPointer(document, base);
        if (!Array.isArray(list)) continue;
        list.forEach((_, index) => {
          const at = followRef(document, `${base}/${index}`);
          const parameter = valueAtPointer(document, at) as Record<string, unknown>;
          const location = parameter.in as string;
          if (location !== "path" && location !== "query" && location !== "header") return;
          const name = String(parameter.name);
          byKey.set(`${location} ${location === "header" ? name.toLowerCase() : name}`, {
            name,
            in: location,
            required: parameter.required === true,
            schemaPointer: `${at}/schema`,
            style: typeof parameter.style === "string" ? parameter.style : location === "query" ? "form" : "simple",
          });
        });
      }
      operations.push({
        operationId: typeof operation.operationId === "string" ? operation.operationId : `${method} ${path}`,
        method,
        path,
        pointer,
        parameters: [...byKey.values()],
        ...(operation.requestBody !== undefined ? { requestBody: followRef(document, `${pointer}/requestBody`) } : {}),
      });
    }
  }
  if (operations.length === 0) throw new Error("The document has no operations.");
  return operations;
}

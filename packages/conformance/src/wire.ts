/**
 * What the API refuses on the wire that a JSON Schema validator lets through: integer parameters
 * that are not whole 64-bit numbers, query parameters sent empty, numbers in a body beyond 64 bits,
 * and a JSON `null` where the body is an object. The mock refuses them and the verifier reports them.
 */
import type { IHttpOperation, IHttpParam } from "@stoplight/types";

/** Query parameters as Prism reads them: a string, or a list when the name repeats. */
export function queryValues(search: string): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  const params = new URLSearchParams(search);
  for (const key of new Set(params.keys())) {
    const all = params.getAll(key);
    query[key] = all.length === 1 ? all[0]! : all;
  }
  return query;
}

const integerText = /^[+-]?\d+$/;
const int64 = 2n ** 63n - 1n;

function isIntegerParam(param: IHttpParam): boolean {
  const type = (param.schema as { type?: string | string[] } | undefined)?.type;
  return type === "integer" || (Array.isArray(type) && type.includes("integer") && !type.includes("string"));
}

/** A problem with the request the validator cannot see, where it is and what is wrong. */
export interface WireProblem {
  location: "path" | "query" | "body";
  /** The parameter's name, or the body's JSON path below its root. */
  name: string;
  message: string;
}

/**
 * What Prism's validators let through but the API refuses: integer parameters that are not whole
 * 64-bit numbers, query parameters sent empty (Prism counts `?code=` as absent), numbers in the
 * body beyond 64 bits (Prism ignores `format: int64`), and a JSON `null` where the body is an
 * object (Prism counts it as no body).
 */
export function wireProblems(
  operation: IHttpOperation,
  pathParams: Record<string, string>,
  query: Record<string, string | string[]>,
  body: unknown,
): WireProblem[] {
  return [...nonIntegerParams(operation, pathParams, query), ...emptyQueryParams(operation, query), ...bodyProblems(operation, body)];
}

/** Query parameters sent with an empty value where their schema asks for something. */
function emptyQueryParams(operation: IHttpOperation, query: Record<string, string | string[]>): WireProblem[] {
  return (operation.request?.query ?? []).flatMap((param) => {
    const value = query[param.name];
    const texts = value === undefined ? [] : Array.isArray(value) ? value : [value];
    if (!texts.includes("") || isIntegerParam(param)) return [];
    const schema = (param.schema ?? {}) as { minLength?: number; enum?: unknown[]; format?: string; type?: unknown };
    const refusesEmpty = (schema.minLength ?? 0) > 0 || (schema.enum !== undefined && !schema.enum.includes("")) || schema.format !== undefined;
    if (!refusesEmpty) return [];
    return [{ location: "query" as const, name: param.name, message: `Request query parameter ${param.name} was sent empty; give it a value or leave it out` }];
  });
}

const int64Limit = 2 ** 63;

/** A `null` body where an object is documented, and numbers too large for the API's 64-bit integers. */
function bodyProblems(operation: IHttpOperation, body: unknown): WireProblem[] {
  const schema = operation.request?.body?.contents?.[0]?.schema as { type?: string | string[] } | undefined;
  if (body === null) {
    const types = Array.isArray(schema?.type) ? schema.type : [schema?.type];
    if (types.includes("null")) return [];
    return [{ location: "body", name: "", message: "Request body must be a JSON object; it was null" }];
  }
  const found: WireProblem[] = [];
  const walk = (value: unknown, path: string[]) => {
    if (typeof value === "number" && Number.isFinite(value) && Math.abs(value) >= int64Limit) {
      found.push({ location: "body", name: path.join("."), message: `Request body property ${path.join(".")} must fit in 64 bits, got ${value}` });
    } else if (Array.isArray(value)) value.forEach((item, index) => walk(item, [...path, String(index)]));
    else if (typeof value === "object" && value !== null) for (const [key, item] of Object.entries(value)) walk(item, [...path, key]);
  };
  walk(body, []);
  return found;
}

/**
 * Integer parameters whose text is not a whole number. Prism coerces with `Number()`, so it lets
 * `page=Infinity`, `page=1e3` and `page=0x10` through; the API reads decimal digits only.
 */
function nonIntegerParams(
  operation: IHttpOperation,
  pathParams: Record<string, string>,
  query: Record<string, string | string[]>,
): WireProblem[] {
  const found: WireProblem[] = [];
  for (const [location, params, values] of [
    ["path", operation.request?.path ?? [], pathParams],
    ["query", operation.request?.query ?? [], query],
  ] as const) {
    for (const param of params) {
      const value = values[param.name];
      if (value === undefined || !isIntegerParam(param)) continue;
      const texts = Array.isArray(value) ? value : [value];
      const bad = texts.find((v) => !integerText.test(v));
      const huge = texts.find((v) => integerText.test(v) && (BigInt(v) > int64 || BigInt(v) < -int64 - 1n));
      if (bad !== undefined || huge !== undefined) {
        const message = bad !== undefined ? `must be integer, got ${JSON.stringify(bad)}` : `must be a 64-bit integer, got ${huge}`;
        found.push({ location, name: param.name, message: `Request ${location} parameter ${param.name} ${message}` });
      }
    }
  }
  return found;
}

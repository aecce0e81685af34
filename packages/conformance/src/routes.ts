/**
 * Matches a raw request path to one documented operation, the way the real API's router does:
 * segment by segment, on the path exactly as sent. Prism's own router normalises first (`..` sends
 * `/subscription_groups/../payment_profiles/1.json` to another operation) and throws on a broken
 * percent escape; this one never resolves relative segments and reports bad escapes as values.
 */
/** What the router needs of an operation: its method and path template. */
export interface Routable {
  method: string;
  path: string;
}

export type RouteResult<T extends Routable = Routable> =
  | { kind: "matched"; operation: T; pathParams: Record<string, string> }
  | { kind: "bad-path"; message: string }
  | { kind: "method-not-allowed"; allowed: string[]; elsewhere?: string }
  | { kind: "not-found"; suggestion?: string };

interface CompiledTemplate<T> {
  template: string;
  segments: ({ literal: string } | { pattern: RegExp; names: string[] })[];
  /** Literal segments first: a concrete path (`lookup.json`) wins over a templated one (`{uid}.json`). */
  literals: number;
  operations: Map<string, T>;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function compileSegment(segment: string): CompiledTemplate<unknown>["segments"][number] {
  const names: string[] = [];
  const source = segment
    .split(/(\{[^}]+\})/)
    .map((part) => {
      const name = /^\{([^}]+)\}$/.exec(part)?.[1];
      if (name === undefined) return escapeRegExp(part);
      names.push(name);
      return "(.+?)";
    })
    .join("");
  return names.length === 0 ? { literal: segment } : { pattern: new RegExp(`^${source}$`), names };
}

/** Routes to the operations it is given: the document's own (`operations.ts`), or Prism's. */
export class Router<T extends Routable = Routable> {
  private readonly templates: CompiledTemplate<T>[];

  constructor(operations: readonly T[]) {
    const byTemplate = new Map<string, CompiledTemplate<T>>();
    for (const operation of operations) {
      let compiled = byTemplate.get(operation.path);
      if (!compiled) {
        const segments = operation.path.split("/").slice(1).map(compileSegment);
        compiled = {
          template: operation.path,
          segments,
          literals: segments.filter((segment) => "literal" in segment).length,
          operations: new Map(),
        };
        byTemplate.set(operation.path, compiled);
      }
      compiled.operations.set(operation.method.toUpperCase(), operation);
    }
    this.templates = [...byTemplate.values()].sort((a, b) => b.literals - a.literals);
  }

  /** Every documented operation, in routing order. */
  get operations(): T[] {
    return this.templates.flatMap((template) => [...template.operations.values()]);
  }

  /** Routes `method` and a raw path (no query string). HEAD is routed as GET. */
  route(method: string, rawPath: string): RouteResult<T> {
    const raw = rawPath.split("/").slice(1);
    const segments: string[] = [];
    for (const segment of raw) {
      let decoded: string;
      try {
        decoded = decodeURIComponent(segment);
      } catch {
        return { kind: "bad-path", message: `The path segment "${segment}" has a malformed percent escape.` };
      }
      if (decoded === "." || decoded === "..") {
        return {
          kind: "bad-path",
          message: `The path ${rawPath} has a "${decoded}" segment; paths are matched as sent, never resolved.`,
        };
      }
      segments.push(decoded);
    }

    const wanted = method === "HEAD" ? "GET" : method;
    const allowed = new Set<string>();
    for (const template of this.templates) {
      const pathParams = matchTemplate(template, segments);
      if (!pathParams) continue;
      const operation = template.operations.get(wanted);
      if (operation) return { kind: "matched", operation, pathParams };
      for (const name of template.operations.keys()) allowed.add(name);
    }
    if (allowed.size > 0) {
      if (allowed.has("GET")) allowed.add("HEAD");
      // The same resource under another parent that does take the method: the guide's
      // `POST /coupons.json` is `POST /product_families/{product_family_id}/coupons.json` today.
      const last = `/${raw[raw.length - 1]}`;
      const elsewhere = this.templates.find((template) => template.template.endsWith(last) && template.operations.has(wanted))?.template;
      return { kind: "method-not-allowed", allowed: [...allowed].sort(), ...(elsewhere ? { elsewhere } : {}) };
    }
    const withJson = rawPath.endsWith(".json") || rawPath.endsWith("/") ? undefined : `${rawPath}.json`;
    const suggestion = withJson && this.route(method, withJson).kind !== "not-found" ? withJson : undefined;
    return suggestion ? { kind: "not-found", suggestion } : { kind: "not-found" };
  }
}

function matchTemplate(template: CompiledTemplate<unknown>, segments: string[]): Record<string, string> | undefined {
  if (template.segments.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, part] of template.segments.entries()) {
    const segment = segments[index]!;
    if ("literal" in part) {
      if (part.literal !== segment) return undefined;
      continue;
    }
    const match = part.pattern.exec(segment);
    if (!match) return undefined;
    part.names.forEach((name, i) => (params[name] = match[i + 1]!));
  }
  return params;
}

/** Where the mock's own control routes live (`/__mock/reset`, ...): not the API's, so the judge and the verifier pass them by. */
export const controlPrefix = "/__mock/";

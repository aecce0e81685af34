/**
 * The body of a refusal: what the judge (@billing-api/conformance) found, one message per defect,
 * in the API's own error shape for the operation. Prism's mocker would answer with the operation's
 * canned 422 example instead, which says nothing about what was wrong.
 */
import type { ConformanceCheck, RequestProblem } from "@billing-api/conformance";
import type { IHttpOperation } from "@stoplight/types";
import { jsonType, type Answer } from "./http.js";

/** One message, and where it is said: `["request", "body", "payment_profile"]`, `["request", "query", "page"]`. */
interface Said {
  location: string[];
  /** The field it is about: a missing or extra key itself (`payment_profile`, `bank_account_number`), not the object around it. */
  field: string[];
  message: string;
}

/**
 * The shapes the API's error bodies take: `{"errors": ["..."]}` (list), `{"errors": {"field": "..."}}`
 * (map; objectMap keys by the object around the field instead), `{"errors": {"subscriptions": {"0":
 * {"field": ["..."]}}, "subscription_group": ["..."]}}` (nested, keyed by index as the group signup
 * does), `{"errors": "..."}` (text) and, with no `errors` wrapper at all, `{"codes": ["..."]}` (keyed,
 * as applyCouponsToSubscription answers). The mock answers in the first one the operation's
 * documented error schema accepts.
 */
const errorShapes = ["list", "nested", "map", "objectMap", "text", "keyed"] as const;
type ErrorShape = (typeof errorShapes)[number];

/**
 * A request the judge refuses, answered as the API would: a bad path id is a 404 (no such
 * resource), anything else the operation's 422 (or 400), in the first of the API's error shapes
 * that the operation's documented schema for that status accepts.
 */
export function refusal(operation: IHttpOperation, problems: RequestProblem[], conformance: ConformanceCheck): Answer {
  let said: Said[] = problems.map((problem) => ({ location: ["request", problem.location, ...problem.place], field: problem.field, message: problem.message }));
  const codes = operation.responses.map((r) => r.code);
  // A path that names no resource is a 404 whatever else is wrong: the API looks the resource up
  // before it reads the body.
  const inPath = said.filter((s) => s.location[1] === "path");
  const notFound = inPath.length > 0 && codes.includes("404");
  if (notFound) said = inPath;
  const status = notFound ? 404 : codes.includes("422") ? 422 : codes.includes("400") ? 400 : 422;
  const documentedSchema = operation.responses.find((r) => r.code === String(status))?.contents?.[0]?.schema;
  const messages = [...new Set(said.map((s) => s.message))];
  // A body without its wrapper is answered keyed by the wrapper where the operation allows it, as
  // the API answers it (`{"errors": {"customer": "can't be blank"}}`), even where a list comes first.
  const unwrapped = problems.length > 0 && problems.every((problem) => problem.location === "body" && problem.kind === "missing-property" && problem.field.length === 1);
  const shapes = unwrapped ? (["map", ...errorShapes.filter((shape) => shape !== "map")] as const) : errorShapes;
  const candidates = [
    ...shapes.map((shape) => shapedBody(shape, said, messages)),
    // The operation's own shape, when none of the API's usual ones fits its documented schema.
    fitToSchema(documentedSchema, messages),
  ].filter((body) => body !== undefined);
  const operationId = operation.iid ?? operation.id;
  const fits = candidates.find((body) => conformance.responseProblems(operationId, status, "application/json", JSON.stringify(body)).length === 0);
  return { status, headers: { "content-type": jsonType }, body: JSON.stringify(fits ?? candidates[0]) };
}

/** The field a message is about, as the API keys it (`payment_profile`, not `body.payment_profile`). */
const fieldOf = (said: Said) => (said.location[1] === "body" ? said.location.slice(2) : said.location.slice(1));

function shapedBody(shape: ErrorShape, said: Said[], messages: string[]): Record<string, unknown> {
  if (shape === "list") return { errors: messages };
  if (shape === "text") return { errors: messages.join(" ") };
  if (shape === "keyed") {
    const byParameter: Record<string, string[]> = {};
    for (const s of said) {
      // Keyed by the body property or the query parameter the message is about.
      const list = (byParameter[s.location[2] ?? "request"] ??= []);
      if (!list.includes(s.message)) list.push(s.message);
    }
    return byParameter;
  }
  if (shape === "map" || shape === "objectMap") {
    // Keyed by the field's own name, as the API keys it (`{"payment_profile": "can't be blank"}`,
    // `{"bank_account_number": "..."}`; the message says the whole path), or, where the documented
    // schema names only the objects (`subscription_group`), by the object the problem is in.
    const byField: Record<string, string> = {};
    for (const s of said) {
      const named = shape === "map" ? s.field.filter((part) => !/^\d+$/.test(part)).at(-1) : undefined;
      const field = named ?? (fieldOf(s).join(".") || "request");
      byField[field] = byField[field] ? `${byField[field]}; ${s.message}` : s.message;
    }
    return { errors: byField };
  }
  const nested: Record<string, unknown> = {};
  for (const s of said) {
    const [wrapper = "request", ...inside] = fieldOf(s);
    const index = inside.findIndex((part) => /^\d+$/.test(part));
    if (index === -1) {
      const list = (nested[wrapper] ??= []) as string[];
      if (!list.includes(s.message)) list.push(s.message);
    } else {
      const collection = (nested[inside.slice(0, index).join(".")] ??= {}) as Record<string, Record<string, string[]>>;
      const item = (collection[inside[index]!] ??= {});
      const list = (item[inside.slice(index + 1).join(".") || "base"] ??= []);
      if (!list.includes(s.message)) list.push(s.message);
    }
  }
  return { errors: nested };
}

type ErrorSchema = {
  type?: string | string[];
  properties?: Record<string, ErrorSchema>;
  required?: string[];
  items?: ErrorSchema;
  oneOf?: ErrorSchema[];
  anyOf?: ErrorSchema[];
  allOf?: ErrorSchema[];
};

/**
 * The messages in the smallest body a documented error schema accepts, for an operation whose error
 * shape is its own (`{"errors": {"members": [...]}}`): down its required properties (or its first
 * one) to the first place that takes a list of messages or one. Undefined when there is none.
 */
function fitToSchema(schema: unknown, messages: string[]): unknown {
  const node = (schema ?? {}) as ErrorSchema;
  const types = Array.isArray(node.type) ? node.type : node.type ? [node.type] : [];
  for (const branch of [...(node.oneOf ?? []), ...(node.anyOf ?? [])]) {
    const fitted = fitToSchema(branch, messages);
    if (fitted !== undefined) return fitted;
  }
  if (types.includes("array") && acceptsString(node.items)) return messages;
  if (types.includes("string")) return messages.join(" ");
  const properties = { ...Object.assign({}, ...(node.allOf ?? []).map((part) => part.properties ?? {})), ...(node.properties ?? {}) } as Record<string, ErrorSchema>;
  if (!types.includes("object") && Object.keys(properties).length === 0) return undefined;
  const required = [...(node.required ?? []), ...(node.allOf ?? []).flatMap((part) => part.required ?? [])];
  const keys = required.length > 0 ? required : Object.keys(properties).slice(0, 1);
  const body: Record<string, unknown> = {};
  for (const key of keys) {
    const fitted = fitToSchema(properties[key], messages);
    if (fitted === undefined) return undefined;
    body[key] = fitted;
  }
  return keys.length > 0 ? body : undefined;
}

function acceptsString(schema: ErrorSchema | undefined): boolean {
  if (!schema) return true;
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  return types.includes("string") || [...(schema.oneOf ?? []), ...(schema.anyOf ?? [])].some(acceptsString);
}

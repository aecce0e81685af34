import { readFile } from "node:fs/promises";
import { groupName } from "./operations.js";

/**
 * Code samples for every operation (`x-codeSamples`), made from the bundled document and its named
 * examples: TypeScript with the client's named methods, and curl. They go into the bundle the docs
 * are built from, never into spec/, so they cannot drift from the operations they show.
 */

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  example?: unknown;
  $ref?: string;
}
interface Operation {
  operationId: string;
  tags: string[];
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { examples?: Record<string, { value?: unknown; $ref?: string }> }> };
  responses: Record<string, { content?: unknown; $ref?: string }>;
  "x-codeSamples"?: CodeSample[];
}
interface Document {
  paths: Record<string, Record<string, unknown> & { parameters?: Parameter[] }>;
}
export interface CodeSample {
  lang: string;
  label: string;
  source: string;
}

/** The site the samples talk to; tests swap it for the mock. */
export const sampleOrigin = "https://acme.chargify.com";
const methods = ["get", "put", "post", "delete", "patch"] as const;

function resolve<T>(document: unknown, value: T & { $ref?: string }): T {
  if (!value.$ref) return value;
  const target = value.$ref.slice(2).split("/").reduce<unknown>((node, key) => (node as Record<string, unknown>)[key.replace(/~1/g, "/").replace(/~0/g, "~")], document);
  return resolve(document, target as T & { $ref?: string });
}

/** `{ "customer_id": 150 }` as TypeScript: identifier keys unquoted. */
function tsLiteral(value: unknown, indent = ""): string {
  return JSON.stringify(value, null, 2)
    .replace(/^(\s*)"([A-Za-z_$][\w$]*)":/gm, "$1$2:")
    .replace(/\n/g, `\n${indent}`);
}

const shellQuote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

/** The arguments an operation's examples describe: path parameters, required query ones, the first body. */
export function exampleArguments(document: unknown, path: string, pathItem: { parameters?: Parameter[] }, operation: Operation) {
  const parameters = [...(pathItem.parameters ?? []), ...(operation.parameters ?? [])].map((p) => resolve<Parameter>(document, p));
  const pathArgs = Object.fromEntries(parameters.filter((p) => p.in === "path").map((p) => [p.name, p.example]));
  const queryArgs = Object.fromEntries(parameters.filter((p) => p.in === "query" && p.required).map((p) => [p.name, p.example]));
  const examples = operation.requestBody?.content?.["application/json"]?.examples;
  const first = examples ? Object.values(examples)[0] : undefined;
  const body = first ? resolve<{ value?: unknown }>(document, first).value : undefined;
  const url =
    path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(String(pathArgs[name]))) +
    (Object.keys(queryArgs).length ? `?${Object.entries(queryArgs).map(([name, value]) => `${name}=${encodeURIComponent(String(value))}`).join("&")}` : "");
  return { pathArgs, queryArgs, body, url };
}

/** The two samples of one operation. */
export function samplesFor(document: unknown, path: string, method: string, pathItem: { parameters?: Parameter[] }, operation: Operation): CodeSample[] {
  const { pathArgs, queryArgs, body, url } = exampleArguments(document, path, pathItem, operation);
  const args = { ...pathArgs, ...queryArgs, ...(body === undefined ? {} : { body }) };
  const call = `billing.${groupName(operation.tags[0]!)}.${operation.operationId}(${Object.keys(args).length ? tsLiteral(args) : ""})`;
  const success = Object.entries(operation.responses).find(([status]) => status.startsWith("2"));
  const hasBody = success !== undefined && resolve<{ content?: unknown }>(document, success[1]).content !== undefined;
  const typescript = [
    `import { createBillingClient } from "@billing-api/client";`,
    ``,
    `const billing = createBillingClient({ subdomain: "acme", apiKey: process.env.BILLING_API_KEY! });`,
    ``,
    hasBody ? `const { data, error } = await ${call};` : `const { error, response } = await ${call};`,
    `if (error) console.error(error.status, error.body);`,
    hasBody ? `else console.log(data);` : `else console.log(response.status); // ${success?.[0]}, no body`,
  ].join("\n");

  const verb = method.toUpperCase();
  const target = `${sampleOrigin}${url}`;
  const curl = [
    `curl${/[[\]{}]/.test(target) ? " -g" : ""}${verb === "GET" ? "" : ` -X ${verb}`} ${shellQuote(target)}`,
    `  -u "$BILLING_API_KEY:x"`,
    ...(body === undefined ? [] : [`  -H 'Content-Type: application/json'`, `  -d ${shellQuote(JSON.stringify(body))}`]),
  ].join(" \\\n");
  return [
    { lang: "TypeScript", label: "TypeScript", source: typescript },
    { lang: "Shell", label: "curl", source: curl },
  ];
}

/** The document with `x-codeSamples` on every operation (a copy; the input is left as it was). */
export function withCodeSamples<T extends Document>(input: T): T {
  const document = structuredClone(input);
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of methods) {
      const operation = item[method] as Operation | undefined;
      if (operation) operation["x-codeSamples"] = samplesFor(document, path, method, item, operation);
    }
  }
  return document;
}

/** The bundled document at `inputPath`, with its code samples, as JSON text. */
export async function generateCodeSamples(inputPath: string): Promise<string> {
  return `${JSON.stringify(withCodeSamples(JSON.parse(await readFile(inputPath, "utf8")) as Document), null, 2)}\n`;
}

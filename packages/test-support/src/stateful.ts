import { randomUUID } from "node:crypto";
import { expect, inject } from "vitest";
import type {} from "./provided.js";
import { httpRequest } from "./http.js";
import { auth } from "./raw.js";
import { documentsBody, responseSchemaPointer, schemaErrors } from "./spec.js";

/**
 * A namespace of the shared stateful mock (mock-setup.ts) for one test or test file: its
 * own store, seeded from the examples, dropped again when the file ends (closeNamespaces; the mock
 * holds 100 at most).
 */
export function namespace(prefix: string): string {
  const name = `${prefix}-${randomUUID().slice(0, 8)}`;
  opened.add(name);
  return name;
}

const opened = new Set<string>();

/**
 * Drops every namespace opened since the last call. namespace-cleanup.ts (a setupFile of every
 * config whose tests use the stateful mock) calls it after each test file: a hook registered here,
 * at import, would run for the first file only where a worker keeps modules between files
 * (isolate: false).
 */
export async function closeNamespaces(): Promise<void> {
  const names = [...opened];
  opened.clear();
  await Promise.all(names.map((name) => mockControl(name).reset()));
}

/** The control routes of the stateful mock, for one namespace. */
export function mockControl(name: string, baseUrl = inject("statefulMockUrl")) {
  const call = async (method: string, route: string, body?: unknown) => {
    const { status, text } = await httpRequest(`${baseUrl}/__mock/${route}`, {
      method,
      headers: { "Mock-Namespace": name, "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status, body: (text ? JSON.parse(text) : undefined) as Record<string, any> | undefined }; // eslint-disable-line @typescript-eslint/no-explicit-any
  };
  return {
    reset: () => call("POST", "reset"),
    state: () => call("GET", "state"),
    advance: (seconds: number) => call("POST", "clock", { advance_seconds: seconds }),
    setNow: (now: string) => call("POST", "clock", { now }),
  };
}

/** A raw request to the stateful mock (the shared one unless `baseUrl`) in a namespace: the status and the parsed body. */
export async function sendStateful(name: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}, baseUrl = inject("statefulMockUrl")) {
  const { status, text } = await httpRequest(`${baseUrl}${path}`, {
    method,
    headers: { ...auth, "Mock-Namespace": name, ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // plain text (the 401)
  }
  return { status, body: parsed as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** The status is one the operation documents, and the body is valid against its schema. */
export function expectValid(operationId: string, result: { status: number; body: unknown }): void {
  if (!documentsBody(operationId, result.status)) {
    expect(result.body, `${operationId} ${result.status} documents no body`).toBeUndefined();
    return;
  }
  expect(schemaErrors(responseSchemaPointer(operationId, result.status, "application/json"), result.body), `${operationId} ${result.status}`).toEqual([]);
}

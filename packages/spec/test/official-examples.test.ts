import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { documentedStatuses, escape, operation, schemaErrors } from "@billing-api/test-support/spec";

/**
 * Every JSON example that Advanced Billing's official OpenAPI documents show for our operations,
 * validated against our schema for the same request body or response. The examples are read from
 * the shared reference folder beside the project (never committed here: nothing from the official
 * repositories is); without that folder the test is skipped and says why.
 */
const referencePath = fileURLToPath(new URL("../../../../shared/reference/official-examples.json", import.meta.url));

interface OfficialExample {
  src: string;
  operationId: string;
  method: string;
  path: string;
  /** "request", or the response status as the official document gives it. */
  kind: string;
  name: string;
  value: unknown;
}

interface OfficialExamples {
  source: { repository: string; commit: string };
  known_wrong: { id: string; why: string }[];
  examples: OfficialExample[];
}

const reference: OfficialExamples | undefined = existsSync(referencePath)
  ? (JSON.parse(readFileSync(referencePath, "utf8")) as OfficialExamples)
  : undefined;

const idOf = (example: OfficialExample) => `${example.src} ${example.operationId} ${example.kind} ${example.name}`;

/**
 * Our status for an official response. The official document gives some successes another 2xx than
 * the wire (a create answered `200` where the API sends `201`, wire-format.md): those map to the one
 * success we document. Error statuses must be ours exactly.
 */
function ourStatus(operationId: string, official: number): number {
  const documented = documentedStatuses(operationId);
  if (documented.includes(official)) return official;
  const successes = documented.filter((status) => status >= 200 && status < 300);
  if (official >= 200 && official < 300 && successes.length === 1) return successes[0]!;
  throw new Error(`${operationId} documents no ${official} (documented: ${documented.join(", ")}).`);
}

function schemaPointer(example: OfficialExample): string {
  const { pointer, operation: op } = operation(example.operationId);
  if (example.kind === "request") {
    if (!op.requestBody) throw new Error(`${example.operationId} documents no request body.`);
    return `${pointer}/requestBody/content/${escape("application/json")}/schema`;
  }
  const status = ourStatus(example.operationId, Number(example.kind));
  const response = op.responses[String(status)] as { $ref?: string };
  const at = response.$ref ?? `${pointer}/responses/${status}`;
  return `${at}/content/${escape("application/json")}/schema`;
}

describe.skipIf(!reference)(
  reference ? `official examples (${reference.source.repository} at ${reference.source.commit.slice(0, 7)})` : "official examples: ../shared/reference/official-examples.json is absent, so there is nothing to compare",
  () => {
    const wrong = new Set(reference?.known_wrong.map((entry) => entry.id));
    const cases = (reference?.examples ?? []).map((example) => ({ id: idOf(example), example }));

    test("the reference holds examples for our operations, and the known wrong one is among them", () => {
      expect(cases.length).toBeGreaterThan(100);
      for (const id of wrong) expect(cases.map((c) => c.id)).toContain(id);
    });

    test.each(cases.filter((c) => !wrong.has(c.id)))("$id is valid against our schema", ({ example }) => {
      expect(schemaErrors(schemaPointer(example), example.value)).toEqual([]);
    });

    // The one example its own document gets wrong (a charge response pasted as the request) must
    // still be refused: accepting it would mean the request schema has gone loose.
    test.each(cases.filter((c) => wrong.has(c.id)))("$id, wrong in its own document, is refused", ({ example }) => {
      expect(schemaErrors(schemaPointer(example), example.value)).not.toEqual([]);
    });
  },
);

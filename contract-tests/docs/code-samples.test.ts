import { execFile } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { sampleOrigin } from "@billing-api/generators";
import { describe, expect, inject, test } from "vitest";
import { operationSamples } from "../support/samples.js";
import { operations, responseSchemaPointer, schemaErrors } from "@billing-api/test-support/spec";

// Every operation's code samples, as the reference page shows them (the docs' own bundle): each has
// a TypeScript and a curl sample, and the curl, run against the mock, gets the documented success
// with a body valid against its schema. (The TypeScript is compiled with every other sample a
// reader is shown, in one program: sample-compiles.test.ts.)
const run = promisify(execFile);
const root = fileURLToPath(new URL("../..", import.meta.url));
const samples = operationSamples();
const sampleOf = (operationId: string, label: string) => samples.find((entry) => entry.operationId === operationId)!.samples.find((sample) => sample.label === label)!.source;

/** Runs a curl sample against the mock: the status, and the body as JSON (or text). */
async function runCurl(source: string) {
  const command = `${source.replaceAll(sampleOrigin, inject("mockUrl"))} -s -w '\\n%{http_code}'`;
  const { stdout } = await run("sh", ["-c", command], { env: { ...process.env, BILLING_API_KEY: "test-api-key" } });
  const cut = stdout.lastIndexOf("\n");
  const text = stdout.slice(0, cut);
  let body: unknown = text;
  try {
    body = text === "" ? undefined : JSON.parse(text);
  } catch {
    // a plain-text body stays text
  }
  return { status: Number(stdout.slice(cut + 1)), body };
}

describe("code samples", () => {
  test("every operation of the document has a TypeScript and a curl sample", () => {
    expect(samples.map(({ operationId }) => operationId).sort()).toEqual(operations.map(({ operationId }) => operationId).sort());
    for (const { operationId, samples: mine } of samples) expect(mine.map((sample) => sample.label), operationId).toEqual(["TypeScript", "curl"]);
  });

  test("the samples live in the docs' bundle only, not in spec/", () => {
    const files = readdirSync(join(root, "spec"), { recursive: true, encoding: "utf8" }).filter((file) => file.endsWith(".yaml"));
    expect(files.filter((file) => readFileSync(join(root, "spec", file), "utf8").includes("x-codeSamples"))).toEqual([]);
  });

  // Each run is mostly waiting (a shell, curl, the mock's answer): five at a time.
  test.concurrent.for(operations.map(({ operationId }) => operationId))("the curl sample of %s gets its documented success", async (operationId, { expect }) => {
    const { status, body } = await runCurl(sampleOf(operationId, "curl"));
    const entry = operations.find((operation) => operation.operationId === operationId)!;
    const success = Number(Object.keys(entry.operation.responses).find((code) => code.startsWith("2")));
    expect({ status, body }).toMatchObject({ status: success });
    if (body !== undefined) expect(schemaErrors(responseSchemaPointer(operationId, success, "application/json"), body)).toEqual([]);
  });

  test("a broken curl sample fails the check", async () => {
    const broken = sampleOf("readPaymentProfile", "curl").replace("/payment_profiles/", "/payment_profile/");
    expect((await runCurl(broken)).status).toBe(404);
  });
});

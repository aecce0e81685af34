import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConformanceCheck } from "@billing-api/conformance";
import { ApiHosts, Verifier, walkLive } from "@billing-api/verify";
import { describe, expect, inject, test } from "vitest";
import { operations, resolve } from "@billing-api/test-support/spec";
import { basicToken, verifyApiKey } from "@billing-api/test-support/traffic";
import { interruptAtStart, runVerify } from "./run-cli.js";

// `billing-verify live` against our own mock: a read-only walk that reaches every GET operation
// (lists, then the reads of what they returned, then the lookups), finds nothing, and never prints
// the API key or its Basic token, in any output or report.
describe("billing-verify live against the mock", () => {
  const gets = operations.filter((operation) => operation.method === "get").map((operation) => operation.operationId);

  test("covers every GET operation, sends nothing else, reports nothing, and never shows the credentials", async () => {
    const dir = mkdtempSync(join(tmpdir(), "verify-live-"));
    const { code, stdout, stderr } = await runVerify(["live", "--base-url", inject("mockUrl"), "--api-key", verifyApiKey, "--json", join(dir, "live.json"), "--junit", join(dir, "live.xml")]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const report = JSON.parse(readFileSync(join(dir, "live.json"), "utf8"));
    expect(report.summary.violations.total).toBe(0);
    expect(report.summary.operations.covered).toBe(gets.length);
    expect(report.summary.operations.uncovered.sort()).toEqual(operations.filter((o) => o.method !== "get").map((o) => o.operationId).sort());
    expect(report.notReached).toEqual([]);
    // Lists first, then reads of the ids they returned.
    const calls = stdout.split("\n").filter((line) => line.startsWith("GET "));
    expect(calls).toHaveLength(gets.length);
    expect(calls.findIndex((line) => line.includes("/customers/150.json"))).toBeGreaterThan(calls.findIndex((line) => line.includes("/customers.json")));
    expect(stdout).toContain("Violations: none");
    for (const output of [stdout, stderr, readFileSync(join(dir, "live.json"), "utf8"), readFileSync(join(dir, "live.xml"), "utf8")]) {
      expect(output).not.toContain(verifyApiKey);
      expect(output).not.toContain(basicToken);
    }
  }, 90_000);

  test("only ever sends GET, and every list before anything that needs a value from an answer", async () => {
    const check = await ConformanceCheck.load();
    const baseUrl = new URL(inject("mockUrl"));
    const sent: { method: string; path: string }[] = [];
    const recording: typeof fetch = (input, init) => {
      sent.push({ method: init?.method ?? "GET", path: new URL(String(input)).pathname });
      return fetch(input, init);
    };
    const verifier = new Verifier(check, ApiHosts.fromBaseUrls([baseUrl]));
    const result = await walkLive({ baseUrl, apiKey: verifyApiKey, verifier, fetch: recording });
    expect(new Set(sent.map((call) => call.method))).toEqual(new Set(["GET"]));
    expect(sent).toHaveLength(gets.length);
    // Lists first: the GETs that need nothing (no path parameter, no required query), then the rest.
    const needsNothing = operations.filter((o) => o.method === "get" && !o.path.includes("{") && !((o.operation.parameters ?? []) as { $ref?: string; required?: boolean; in?: string }[]).some((p) => {
      const param = p.$ref ? resolve<{ required?: boolean; in: string }>(p.$ref) : (p as { required?: boolean; in: string });
      return param.in === "query" && param.required;
    }));
    expect(needsNothing.length).toBeGreaterThan(3);
    expect(sent.slice(0, needsNothing.length).map((call) => call.path).sort()).toEqual(needsNothing.map((o) => o.path).sort());
    expect(result.fromExamples).toEqual([{ operationId: "readOneTimeToken", params: ["chargify_token"] }]);
    expect(verifier.findings).toEqual([]);
  }, 60_000);

  test("a signal mid-walk stops it: no call after it, the one under way dropped, not counted as a failure", async () => {
    const check = await ConformanceCheck.load();
    const baseUrl = new URL(inject("mockUrl"));
    const stop = new AbortController();
    let sent = 0;
    const stopping: typeof fetch = async (input, init) => {
      sent++;
      // The third call is under way when Ctrl-C comes.
      if (sent === 3) stop.abort();
      return fetch(input, init);
    };
    const verifier = new Verifier(check, ApiHosts.fromBaseUrls([baseUrl]));
    const result = await walkLive({ baseUrl, apiKey: verifyApiKey, verifier, fetch: stopping, signal: stop.signal });
    expect(sent).toBe(3);
    expect(result.failures).toBe(0);
    expect(verifier.summary().checked).toBe(2);
  }, 60_000);

  test("Ctrl-C before the walk: nothing is sent, the summary so far, and exit 2 with one line", async () => {
    const { code, stdout, stderr } = await runVerify(["live", "--base-url", inject("mockUrl"), "--api-key", verifyApiKey], {}, ["--import", interruptAtStart]);
    expect(stdout).not.toMatch(/^GET /m);
    expect(stdout).toContain("Stopped (Ctrl-C) before the walk was done.");
    expect(stdout).toContain("0 exchanges, 0 checked, 0 skipped");
    expect(stderr).toBe("billing-verify: stopped before any call was answered, so nothing was checked\n");
    expect(code).toBe(2);
  }, 90_000);

  test("takes the key from BILLING_API_KEY too, and says in one line when the site cannot be reached", async () => {
    const { code, stdout, stderr } = await runVerify(["live", "--base-url", "http://127.0.0.1:9"], { BILLING_API_KEY: verifyApiKey });
    expect(code).toBe(2);
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(stderr).toMatch(/^billing-verify: \d+ calls got no answer from http:\/\/127\.0\.0\.1:9/);
    expect(stdout + stderr).not.toContain(verifyApiKey);
  }, 90_000);
});

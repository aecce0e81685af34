import setup from "@billing-api/test-support/mock-setup";
import type { TestProject } from "vitest/node";
import { afterEach, describe, expect, test, vi } from "vitest";

// The shared mock every package's tests start (@billing-api/test-support's mock-setup) keeps its
// request log out of `npm test`'s report unless asked for. The setup is run here as vitest runs it
// (a globalSetup given the project), in this process: what it writes is what the report would show.

/** Runs the setup, sends one request to the mock it provides, and returns what it wrote to stderr. */
async function logOfOneRequest(): Promise<string[]> {
  const provided: Record<string, unknown> = {};
  const project = { provide: (key: string, value: unknown) => void (provided[key] = value) } as unknown as TestProject;
  const written = vi.spyOn(console, "error").mockImplementation(() => undefined);
  const teardown = await setup(project);
  try {
    const response = await fetch(`${provided.mockUrl as string}/customers/150.json`, { headers: { authorization: `Basic ${btoa("k:x")}` } });
    expect(response.status).toBe(200);
    await response.arrayBuffer();
    return written.mock.calls.map((call) => call.map(String).join(" "));
  } finally {
    written.mockRestore();
    await teardown();
  }
}

describe("the shared mock's request log", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  test("is not printed by default", async () => {
    vi.stubEnv("BILLING_MOCK_LOG", undefined);
    expect(await logOfOneRequest()).toEqual([]);
  });

  test("is printed with BILLING_MOCK_LOG=1", async () => {
    vi.stubEnv("BILLING_MOCK_LOG", "1");
    const log = await logOfOneRequest();
    expect(log).toHaveLength(1);
    expect(log[0]).toContain('mock {"method":"GET","path":"/customers/150.json","status":200');
  });
});

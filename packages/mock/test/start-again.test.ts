import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startMock } from "@billing-api/mock";
import { openapiJsonPath } from "@billing-api/spec";
import { afterAll, describe, expect, test } from "vitest";

// A test suite starts a mock per file, or per test, in one process. The mocks of one document share
// what was read from it (Prism's operations, the judge and its compiled validators), so each start
// after the first is cheap; what they share must never carry one mock's doings into another, and a
// document changed on disk is read again.
const auth = { authorization: `Basic ${btoa("start-again:x")}`, "content-type": "application/json" };
const folder = mkdtempSync(join(tmpdir(), "start-again-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const firstName = async (url: string) => ((await (await fetch(`${url}/customers/150.json`, { headers: auth })).json()) as { customer: { first_name: string } }).customer.first_name;

describe("mock: started again in the same process", () => {
  test("a stateful mock started after another begins from the document's examples, not from what the first one changed", async () => {
    const first = await startMock({ port: 0, stateful: true });
    const changed = await fetch(`${first.url}/customers/150.json`, { method: "PUT", headers: auth, body: JSON.stringify({ customer: { first_name: "Changed" } }) });
    expect(changed.status).toBe(200);
    expect(await firstName(first.url)).toBe("Changed");
    const second = await startMock({ port: 0, stateful: true });
    try {
      expect(await firstName(second.url)).toBe("Martha");
      // And the first keeps its own world while the second runs.
      expect(await firstName(first.url)).toBe("Changed");
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  });

  test("a document changed on disk at the same path is read again by the next mock; the running one keeps what it read", async () => {
    const path = join(folder, "openapi.json");
    const bundle = readFileSync(openapiJsonPath, "utf8");
    writeFileSync(path, bundle);
    const before = await startMock({ port: 0, document: path });
    writeFileSync(path, bundle.replaceAll('"Martha"', '"Marta"'));
    const after = await startMock({ port: 0, document: path });
    try {
      expect(await firstName(before.url)).toBe("Martha");
      expect(await firstName(after.url)).toBe("Marta");
    } finally {
      await Promise.all([before.close(), after.close()]);
    }
  });

  test("a document that cannot be read is refused each time it is tried, with what is wrong", async () => {
    const path = join(folder, "broken.json");
    writeFileSync(path, "{ not json");
    await expect(startMock({ port: 0, document: path })).rejects.toThrow();
    await expect(startMock({ port: 0, document: path })).rejects.toThrow();
    // Mended, it serves.
    writeFileSync(path, readFileSync(openapiJsonPath, "utf8"));
    const mended = await startMock({ port: 0, document: path });
    try {
      expect(await firstName(mended.url)).toBe("Martha");
    } finally {
      await mended.close();
    }
  });
});

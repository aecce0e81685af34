import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";

// Importing the mock leaves faker and postman-collection (Prism's, for dynamic answers and Postman
// imports) unloaded until they are used (src/lazy-dependencies.ts), and so are undici (webhook
// delivery) and ioredis (the Redis store); a mock of the bundled document reads Prism's operations
// saved at build time, so Prism's document reader (json-schema-ref-parser) is not loaded either
// (src/prism-operations.ts). Each check runs in a process of its own: what a process has loaded is
// the point, and this one has loaded other tests' modules.
const mockPackage = fileURLToPath(new URL("..", import.meta.url));

/** Runs `script` (an ES module that may `await`) in a fresh Node in the mock's package; its last line of output, parsed. */
function inFreshProcess<T>(script: string): T {
  const result = spawnSync(process.execPath, ["--input-type=module", "-e", script], { cwd: mockPackage, encoding: "utf8", timeout: 120_000 });
  expect(result.status, result.stderr).toBe(0);
  return JSON.parse(result.stdout.trim().split("\n").at(-1)!) as T;
}

/**
 * Script lines: `loaded()`, how many files of faker, postman-collection, undici, ioredis and
 * json-schema-ref-parser are in the require cache (a stand-in is not a file Node loaded: it has no
 * module search paths).
 */
const loadedFiles = `
import { createRequire } from "node:module";
const require = createRequire(import.meta.url);
const loaded = () => Object.values(require.cache).filter((module) => /node_modules\\/(@faker-js|postman-collection|undici|ioredis|@stoplight\\/json-schema-ref-parser)\\//.test(module.filename) && Array.isArray(module.paths)).length;
`;

describe("mock: what a start leaves unloaded until it is used", () => {
  test("importing the mock and answering requests, with examples and with Prefer: dynamic=true, loads none of faker, postman-collection, undici, ioredis and Prism's document reader", () => {
    const counts = inFreshProcess<{ imported: number; answered: number; statuses: number[] }>(`${loadedFiles}
      const { startMock } = await import("@billing-api/mock");
      const imported = loaded();
      const mock = await startMock({ port: 0 });
      const headers = { authorization: "Basic " + btoa("lazy:x") };
      const statuses = [];
      for (const prefer of [undefined, "dynamic=true"]) {
        const response = await fetch(mock.url + "/customers/150.json", { headers: prefer ? { ...headers, prefer } : headers });
        const body = await response.json();
        statuses.push(response.status, typeof body.customer.id === "number" ? 1 : 0);
      }
      await mock.close();
      console.log(JSON.stringify({ imported, answered: loaded(), statuses }));
    `);
    expect(counts).toEqual({ imported: 0, answered: 0, statuses: [200, 1, 200, 1] });
  });

  test("faker is loaded at its first use, and is then faker itself: Prism's x-faker keywords give its values", () => {
    const seen = inFreshProcess<{ before: number; name: string; after: number; real: boolean }>(`${loadedFiles}
      await import("@billing-api/mock");
      const prism = createRequire(require.resolve("@stoplight/prism-http"));
      const before = loaded();
      // Prism's generator hands json-schema-faker the faker it required at import.
      const { generate } = prism("@stoplight/prism-http/dist/mocker/generator/JSONSchema.js");
      const result = generate({}, {}, { type: "string", "x-faker": "name.firstName" });
      const faker = prism("@faker-js/faker");
      const names = prism.cache[prism.resolve("@faker-js/faker")].exports.faker.definitions.name.first_name;
      console.log(JSON.stringify({ before, name: result.right, after: loaded(), real: names.includes(result.right) && typeof faker.faker.seed === "function" }));
    `);
    expect(seen.before).toBe(0);
    expect(seen.name).toMatch(/^\w+$/);
    expect(seen.real, `${seen.name} is one of faker's first names`).toBe(true);
    expect(seen.after).toBeGreaterThan(1_000);
  });
});

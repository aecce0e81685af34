import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { compileErrors as compileIn, typescriptBlocks } from "../support/compile.js";

// Samples cannot rot: every ```ts block of the README is compiled against the built packages, as a
// module of its own, with the compiler options the packages use.
const root = fileURLToPath(new URL("../..", import.meta.url));
const compileErrors = (snippets: { name: string; code: string }[]) => compileIn(snippets, ".readme-snippets");

describe("README code samples", () => {
  const readmes = ["README.md", ...["client", "mock", "spec", "docs", "verify", "cli-kit"].map((name) => `packages/${name}/README.md`)];
  const blocks = readmes.flatMap((readme) =>
    typescriptBlocks(readFileSync(join(root, readme), "utf8")).map(({ line, code }) => ({ name: `${readme.replace(/\//g, "_")}-line-${line}`, code })),
  );

  test("the READMEs have TypeScript samples", () => {
    expect(blocks.filter(({ name }) => name.startsWith("README")).length).toBeGreaterThanOrEqual(4);
    const packagesWithout = ["client", "mock", "spec", "docs"].filter((name) => !blocks.some((block) => block.name.startsWith(`packages_${name}_`)));
    expect(packagesWithout, "every public package's README shows an example").toEqual([]);
  });

  test("every TypeScript sample compiles against the built packages", () => {
    expect(compileErrors(blocks)).toEqual([]);
  }, 60_000);

  test("a broken sample fails the check", () => {
    const broken = `import { createBillingClient } from "@billing-api/client";
const billing = createBillingClient({ subdomain: "acme", apiKey: "k" });
await billing.paymentProfiles.readPaymentProfile({ payment_profile: 1 });`;
    expect(compileErrors([{ name: "broken", code: broken }]).join("\n")).toMatch(/payment_profile/);
  }, 60_000);
});

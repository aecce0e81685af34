import { describe, expect, test } from "vitest";
import { compileErrors, typescriptBlocks } from "../support/compile.js";
import { document } from "@billing-api/test-support/spec";

// Samples cannot rot: the TypeScript in the reference's introduction ("Receiving webhooks") and in
// the tag descriptions is compiled against the built packages, like the READMEs' samples.
const info = document.info as { description?: string };
const tags = (document.tags ?? []) as { name: string; description?: string }[];
const blocks = [
  ...typescriptBlocks(info.description ?? "").map(({ line, code }) => ({ name: `introduction-line-${line}`, code })),
  ...tags.flatMap((tag) => typescriptBlocks(tag.description ?? "").map(({ line, code }) => ({ name: `tag-${tag.name.replace(/\W+/g, "-")}-line-${line}`, code }))),
];

describe("the introduction's code samples", () => {
  test("the introduction shows a webhook handler in TypeScript", () => {
    expect(blocks.some(({ code }) => code.includes("parseWebhook"))).toBe(true);
  });

  test("every TypeScript sample of the introduction and the tags compiles against the built packages", () => {
    expect(compileErrors(blocks, ".code-samples-introduction")).toEqual([]);
  }, 120_000);
});

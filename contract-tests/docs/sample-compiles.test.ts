import { beforeAll, describe, expect, test } from "vitest";
import { compileErrors } from "../support/compile.js";
import { operationSamples, readmeSnippets, referenceSnippets, type Snippet } from "../support/samples.js";

// Samples cannot rot: every TypeScript sample a reader is shown compiles against the built packages.
// All of them are one program for the compiler (each sample a module of its own, named by where it
// is shown), with two broken samples among them that must fail: one compile instead of one per
// place, since each compile loads the packages' and Node's types again.
const sets: Record<string, Snippet[]> = {
  "the READMEs": readmeSnippets(),
  "the reference page's operation samples": operationSamples().map(({ operationId, samples }) => ({
    name: operationId,
    code: samples.find((sample) => sample.label === "TypeScript")?.source ?? "",
  })),
  "the reference's introduction and tags": referenceSnippets(),
};
const readPaymentProfile = sets["the reference page's operation samples"]!.find(({ name }) => name === "readPaymentProfile")!.code;
const probes: Snippet[] = [
  // A sample that names a path parameter wrongly, as a README might after a rename.
  {
    name: "broken-readme",
    code: `import { createBillingClient } from "@billing-api/client";
const billing = createBillingClient({ subdomain: "acme", apiKey: "k" });
await billing.paymentProfiles.readPaymentProfile({ payment_profile: 1 });`,
  },
  { name: "broken-operation-sample", code: readPaymentProfile.replace("payment_profile_id", "payment_profile") },
];
/** Each set's snippets prefixed by its index (`1--createCustomer`): one program, no name clashes. */
const named = Object.values(sets).flatMap((snippets, index) => snippets.map(({ name, code }) => ({ name: `${index}--${name}`, code })));

let errors: string[];
beforeAll(() => {
  errors = compileErrors([...named, ...probes.map(({ name, code }) => ({ name: `probe--${name}`, code }))], ".sample-compiles");
}, 300_000);
/** The errors of the snippets whose names start with `prefix` (`file.ts:line: message`). */
const errorsOf = (prefix: string) => errors.filter((error) => error.startsWith(prefix));

describe("TypeScript samples", () => {
  test("the READMEs show TypeScript, the project's and every public package's", () => {
    const blocks = sets["the READMEs"]!;
    expect(blocks.filter(({ name }) => name.startsWith("README")).length).toBeGreaterThanOrEqual(4);
    const packagesWithout = ["client", "mock", "spec", "docs"].filter((name) => !blocks.some((block) => block.name.startsWith(`packages_${name}_`)));
    expect(packagesWithout, "every public package's README shows an example").toEqual([]);
  });

  test("every operation on the reference page has a TypeScript sample", () => {
    expect(sets["the reference page's operation samples"]!.filter(({ code }) => code === "").map(({ name }) => name)).toEqual([]);
  });

  test("the reference's introduction shows a webhook handler in TypeScript", () => {
    expect(sets["the reference's introduction and tags"]!.some(({ code }) => code.includes("parseWebhook"))).toBe(true);
  });

  test.each(Object.keys(sets).map((set, index) => [set, index] as const))("every sample of %s compiles against the built packages", (_set, index) => {
    expect(errorsOf(`${index}--`)).toEqual([]);
  });

  test.each(probes.map(({ name }) => name))("a broken sample fails the check (%s)", (name) => {
    expect(errorsOf(`probe--${name}.ts`).join("\n")).toMatch(/payment_profile/);
  });

  test("no error belongs to a file outside the samples", () => {
    expect(errors.filter((error) => !/^(\d+|probe)--/.test(error))).toEqual([]);
  });
});

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { document } from "@billing-api/test-support/spec";
import { typescriptBlocks } from "./compile.js";

// The code a reader is shown, where it is shown: the READMEs' ```ts blocks, each operation's samples
// on the reference page (the docs' own bundle), and the TypeScript in the reference's introduction
// and tag descriptions.
const root = fileURLToPath(new URL("../..", import.meta.url));

export interface Snippet {
  name: string;
  code: string;
}

/** The READMEs whose ```ts blocks are compiled: the project's and each public package's. */
export const readmes = ["README.md", ...["client", "mock", "spec", "docs", "verify", "cli-kit"].map((name) => `packages/${name}/README.md`)];

/** Every ```ts block of the READMEs, named by file and line (`packages_client_README.md-line-12`). */
export function readmeSnippets(): Snippet[] {
  return readmes.flatMap((readme) =>
    typescriptBlocks(readFileSync(join(root, readme), "utf8")).map(({ line, code }) => ({ name: `${readme.replace(/\//g, "_")}-line-${line}`, code })),
  );
}

export interface Sample {
  lang: string;
  label: string;
  source: string;
}

/** Each operation's code samples, as the reference page shows them (`x-codeSamples` of the docs' bundle). */
export function operationSamples(): { operationId: string; samples: Sample[] }[] {
  const docsDocument = JSON.parse(readFileSync(join(root, "packages/docs/dist/openapi.json"), "utf8")) as {
    paths: Record<string, Record<string, { operationId?: string; "x-codeSamples"?: Sample[] }>>;
  };
  return Object.values(docsDocument.paths).flatMap((item) =>
    Object.values(item).flatMap((operation) => (operation.operationId ? [{ operationId: operation.operationId, samples: operation["x-codeSamples"] ?? [] }] : [])),
  );
}

/** The TypeScript in the reference's introduction and in its tag descriptions. */
export function referenceSnippets(): Snippet[] {
  const info = document.info as { description?: string };
  const tags = (document.tags ?? []) as { name: string; description?: string }[];
  return [
    ...typescriptBlocks(info.description ?? "").map(({ line, code }) => ({ name: `introduction-line-${line}`, code })),
    ...tags.flatMap((tag) => typescriptBlocks(tag.description ?? "").map(({ line, code }) => ({ name: `tag-${tag.name.replace(/\W+/g, "-")}-line-${line}`, code }))),
  ];
}

/**
 * Compares two OpenAPI documents with Redocly's `diff` (pinned with @redocly/cli; the command is
 * experimental, so the fixture tests in test/breaking-changes.test.ts pin its verdicts too) and turns each
 * change into one line a person understands.
 */
import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
const redocly = join(createRequire(import.meta.url).resolve("@redocly/cli/package.json"), "../bin/cli.js");

/** Extends `diff-recommended`: without it, `redocly diff` rates every change as harmless. */
export const diffConfig = fileURLToPath(new URL("../redocly-diff.yaml", import.meta.url));

export type Impact = "major" | "minor" | "patch";

export interface Change {
  impact: Impact;
  /** Redocly's rule, such as `required-properties-removed`. */
  rule: string;
  /** Redocly's sentence: "Properties of `customer` are no longer required: `email`." */
  message: string;
  /** Where: `POST /customers.json responses/201/...` or `components/schemas/Customer/required`. */
  where: string;
}

interface Verdict {
  ruleId: string;
  impact: Impact;
  message: string;
  location?: { pointer?: string };
}
interface Report {
  changes: { path: string; typeName: string; kind: string; property?: string; impact: Impact; verdicts?: Verdict[] }[];
}

/** Every change from `base` to `revision` (file paths), as rated by the pinned `redocly diff`. */
export async function diffDocuments(base: string, revision: string): Promise<Change[]> {
  const { stdout } = await run(
    process.execPath,
    [redocly, "diff", base, revision, "--config", diffConfig, "--format", "json", "--fail-on", "none"],
    { env: { ...process.env, REDOCLY_TELEMETRY: "off", NO_UPDATE_NOTIFIER: "1" }, maxBuffer: 64 * 1024 * 1024, timeout: 120_000 },
  );
  const report = JSON.parse(stdout) as Report;
  return report.changes.flatMap((change) =>
    change.verdicts?.length
      ? change.verdicts.map((verdict) => ({
          impact: verdict.impact,
          rule: verdict.ruleId,
          message: verdict.message,
          where: readablePointer(verdict.location?.pointer ?? change.path),
        }))
      : // A change no rule has a verdict on (an addition, a new description) keeps Redocly's rating.
        [{ impact: change.impact, rule: `${change.typeName}-${change.kind}`, message: `${change.typeName}${change.property ? ` \`${change.property}\`` : ""} ${change.kind}.`, where: readablePointer(change.path) }],
  );
}

/** `#/paths/~1customers.json/post/requestBody` -> `POST /customers.json requestBody`. */
export function readablePointer(pointer: string): string {
  const parts = pointer.replace(/^#\//, "").split("/").map((part) => decodeURIComponent(part.replace(/~1/g, "/").replace(/~0/g, "~")));
  const methods = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];
  if (parts[0] === "paths" && parts.length >= 2) {
    const [, path, method, ...rest] = parts;
    if (method && methods.includes(method)) return [`${method.toUpperCase()} ${path}`, rest.join("/")].filter(Boolean).join(" ");
    return [path, [method, ...rest].filter(Boolean).join("/")].filter(Boolean).join(" ");
  }
  return parts.join("/");
}

/** One line: `major  POST /customers.json requestBody: ... (request-property-became-required)`. */
export function describeChange(change: Change): string {
  return `${change.impact}  ${change.where}: ${change.message.replace(/\s+/g, " ").trim()} (${change.rule})`;
}

/**
 * The version step of a release, run after `changeset version` has bumped the manifests: the spec's
 * `info.version` takes the new `@billing-api/spec` version, and the bundle built from it becomes the
 * "last released bundle" the gate compares against from now on.
 */
import { copyFile, mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { RepoPaths } from "./paths.js";

const infoVersion = /^(info:\r?\n(?:[ \t]+.*\r?\n|\r?\n)*?[ \t]+version:[ \t]*)(\S+)(.*)$/m;

/** `info.version` of a YAML OpenAPI document, as written. */
export function readInfoVersion(yaml: string): string | undefined {
  return infoVersion.exec(yaml)?.[2]?.replace(/^["']|["']$/g, "");
}

/** The document with `info.version` set to `version`, every other byte kept. */
export function withInfoVersion(yaml: string, version: string): string {
  if (!infoVersion.test(yaml)) throw new Error("no info.version found in the spec");
  return yaml.replace(infoVersion, (_, head: string, _old: string, tail: string) => `${head}${version}${tail}`);
}

/** Writes the spec package's version into `info.version` of the source; returns that version. */
export async function syncSpecVersion(paths: RepoPaths): Promise<string> {
  const { version } = JSON.parse(await readFile(paths.specManifest, "utf8")) as { version: string };
  const source = await readFile(paths.specSource, "utf8");
  const updated = withInfoVersion(source, version);
  if (updated !== source) await writeFile(paths.specSource, updated);
  return version;
}

/** Keeps the bundle built now as the last released one. */
export async function saveReleasedBundle(paths: RepoPaths): Promise<void> {
  await mkdir(dirname(paths.releasedBundle), { recursive: true });
  await copyFile(paths.currentBundle, paths.releasedBundle);
}

import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";

// Every relative link in the repository's Markdown works on a fresh clone: it names a file (or a
// folder with files) that git tracks, so nothing built, ignored or left on one machine (dist/,
// screenshots) can be linked.
const root = fileURLToPath(new URL("../..", import.meta.url));
const tracked = execFileSync("git", ["ls-files", "-z"], { cwd: root, encoding: "utf8" }).split("\0").filter(Boolean);
const trackedFiles = new Set(tracked);
const trackedFolders = new Set(tracked.flatMap((file) => file.split("/").slice(0, -1).map((_, i, parts) => parts.slice(0, i + 1).join("/"))));

/** The relative link targets of a Markdown text that name nothing git tracks, from `file`'s folder. */
function brokenLinks(markdown: string, file: string): string[] {
  // Fenced code is not Markdown to follow.
  const prose = markdown.replace(/^```[\s\S]*?^```/gm, "");
  const targets = [...prose.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((match) => match[1]!);
  return targets
    .filter((target) => !/^[a-z][a-z+.-]*:/i.test(target) && !target.startsWith("#"))
    .filter((target) => {
      const path = normalize(join(dirname(file), decodeURIComponent(target.replace(/[#?].*$/, "")))).replace(/\/$/, "");
      return !trackedFiles.has(path) && !trackedFolders.has(path);
    });
}

const markdownFiles = tracked.filter((file) => file.endsWith(".md"));

describe("links in the repository's Markdown", () => {
  test("the README is among the files checked", () => {
    expect(markdownFiles).toContain("README.md");
  });

  test.each(markdownFiles)("%s links only to tracked files", (file) => {
    expect(brokenLinks(readFileSync(join(root, file), "utf8"), file)).toEqual([]);
  });

  test("a link into an ignored build folder is caught, and a link to a tracked file is not", () => {
    const text = "See [the top](packages/docs/dist/screenshots/top.png), [the licence](LICENSE) and [below](#layout).";
    expect(brokenLinks(text, "README.md")).toEqual(["packages/docs/dist/screenshots/top.png"]);
    expect(brokenLinks("[client](../client/README.md)", "packages/mock/README.md")).toEqual([]);
  });
});

/**
 * The pending changesets (`.changeset/*.md`), read with changesets' own reader, reduced to the
 * highest bump each package will get.
 */
import readChangesets from "@changesets/read";

export type Bump = "major" | "minor" | "patch" | "none";
const order: Bump[] = ["none", "patch", "minor", "major"];

/** Package name -> the highest bump any pending changeset asks for it. */
export async function pendingBumps(root: string): Promise<Map<string, Bump>> {
  const bumps = new Map<string, Bump>();
  for (const changeset of await readChangesets(root)) {
    for (const { name, type } of changeset.releases) {
      const previous = bumps.get(name) ?? "none";
      bumps.set(name, order.indexOf(type) > order.indexOf(previous) ? type : previous);
    }
  }
  return bumps;
}

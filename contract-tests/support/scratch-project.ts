/**
 * An empty project that installs our packed tarballs the way a consuming team would, with no network.
 *
 * `npm install --offline` of the tarballs alone cannot work: npm would need the registry's package
 * documents to resolve their dependencies' ranges, and `npm ci` caches only the tarballs. So the
 * scratch project gets a lockfile of its own, cut from this repository's: the tarballs, and for each
 * dependency the exact entry (version, resolved URL, integrity) this repository installs, found the
 * way Node would find it from the workspace that depends on it. `npm ci --offline` then takes every
 * dependency from npm's cache, as `npm ci` left it.
 */

interface LockEntry {
  version?: string;
  resolved?: string;
  integrity?: string;
  link?: boolean;
  dev?: boolean;
  devOptional?: boolean;
  peer?: boolean;
  optional?: boolean;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  [key: string]: unknown;
}

export interface PackedWorkspace {
  /** `@billing-api/client` */
  name: string;
  /** Its folder in this repository, as the lockfile names it: `packages/client`. */
  dir: string;
  /** The tarball's file name, relative to the scratch project: `../billing-api-client-1.0.0.tgz`. */
  tarball: string;
}

/** Where Node would find `dependency` from the package at `from` (a lockfile key), or undefined. */
function locate(lock: Record<string, LockEntry>, from: string, dependency: string): string | undefined {
  let dir = from;
  for (;;) {
    const candidate = `${dir}/node_modules/${dependency}`;
    if (lock[candidate]) return candidate;
    const parent = dir.lastIndexOf("/node_modules/");
    if (parent < 0) break;
    dir = dir.slice(0, parent);
  }
  return lock[`node_modules/${dependency}`] ? `node_modules/${dependency}` : undefined;
}

/**
 * The package.json and package-lock.json of a project that depends on `packed` only, with every
 * transitive runtime dependency pinned to this repository's lockfile entry.
 */
export function scratchProject(rootLock: { packages: Record<string, LockEntry> }, packed: PackedWorkspace[]): { manifest: object; lockfile: object } {
  const lock = rootLock.packages;
  const ours = new Map(packed.map((workspace) => [workspace.name, workspace]));
  const dependencies = Object.fromEntries(packed.map(({ name, tarball }) => [name, `file:${tarball}`]));
  const entries: Record<string, LockEntry> = { "": { name: "scratch", dependencies } };
  // Each item: where the package sits in this repository's lockfile, and where it goes in the scratch one.
  const queue: { from: string; to: string }[] = [];

  for (const { name, dir, tarball } of packed) {
    const { devDependencies: _dev, ...workspace } = lock[dir]!;
    entries[`node_modules/${name}`] = { ...workspace, resolved: `file:${tarball}` };
    queue.push({ from: dir, to: `node_modules/${name}` });
  }
  for (let item = queue.shift(); item; item = queue.shift()) {
    const entry = lock[item.from]!;
    const wanted = { ...entry.dependencies, ...entry.optionalDependencies, ...entry.peerDependencies };
    for (const dependency of Object.keys(wanted)) {
      if (ours.has(dependency)) continue; // installed from its tarball, at the top
      const found = locate(lock, item.from, dependency);
      if (!found) {
        const optional = entry.optionalDependencies?.[dependency] !== undefined || entry.peerDependenciesMeta?.[dependency]?.optional;
        if (optional) continue;
        throw new Error(`${item.from} depends on ${dependency}, which this repository's lockfile does not have`);
      }
      // A dependency nested under a workspace folder moves under that package in the scratch project.
      const workspace = packed.find(({ dir }) => found.startsWith(`${dir}/`));
      const to = workspace ? `node_modules/${workspace.name}${found.slice(workspace.dir.length)}` : found;
      if (entries[to]) continue;
      const { dev: _d, devOptional: _o, peer: _p, ...copy } = lock[found]!;
      entries[to] = copy;
      queue.push({ from: found, to });
    }
  }
  return {
    manifest: { name: "scratch", private: true, type: "module", dependencies },
    lockfile: { name: "scratch", lockfileVersion: 3, requires: true, packages: entries },
  };
}

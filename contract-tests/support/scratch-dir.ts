import { statfs } from "node:fs/promises";
import { tmpdir } from "node:os";

/** Room a scratch install needs: the consumer's node_modules is about 100 MB (Prism's dependencies). */
const needed = 1024 ** 3;

/**
 * Where a large scratch install goes: /dev/shm when it is there with room to spare (a memory-backed
 * file system: npm ci writes about 10,000 files, and on a disk the kernel's share of that is half the
 * install's time), the system's temp folder otherwise (a container's /dev/shm is often 64 MB).
 */
export async function scratchRoot(): Promise<string> {
  if (process.platform !== "linux") return tmpdir();
  try {
    const { bavail, bsize } = await statfs("/dev/shm");
    return bavail * bsize >= needed ? "/dev/shm" : tmpdir();
  } catch {
    return tmpdir();
  }
}

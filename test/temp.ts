/**
 * Temp dirs of the tests (issue 15: nothing left in /tmp). Every dir made
 * here is removed when the process exits (whatever the tests' outcome), or
 * earlier with removeTempDir. Each test file runs in its own process, so
 * its dirs go when it ends. scripts/private-tmp.sh checks that a whole
 * `npm test` leaves nothing.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const dirs = new Set<string>();

process.on("exit", () => {
  for (const dir of dirs) {
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch (error) {
      // (e.g. a mount still inside): named, and the run's /tmp check fails on it.
      process.stderr.write(`could not remove ${dir}: ${(error as Error).message}\n`);
    }
  }
});

/** A new private dir `<tmpdir>/<prefix>XXXXXX` (mode 0700), removed at exit. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.add(dir);
  return dir;
}

/** Removes a dir from tempDir now. */
export function removeTempDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  dirs.delete(dir);
}

/**
 * Helpers for "nothing was written" assertions: a content hash of every file
 * under the host's state directories (names, modes, bytes, link targets).
 */
import { createHash } from "node:crypto";
import { lstatSync, readdirSync, readFileSync, readlinkSync } from "node:fs";
import { join } from "node:path";

export function treeHash(...roots: string[]): string {
  const hash = createHash("sha256");
  const walk = (dir: string, rel: string): void => {
    let entries: string[];
    try {
      entries = readdirSync(dir).sort();
    } catch {
      hash.update(`missing:${rel}\n`);
      return;
    }
    for (const name of entries) {
      // The deploy lock's (empty) file is how flock works, not state.
      if (name === ".deploy.lock") continue;
      const path = join(dir, name);
      const st = lstatSync(path);
      const r = `${rel}/${name}`;
      if (st.isSymbolicLink()) hash.update(`l ${r} -> ${readlinkSync(path)}\n`);
      else if (st.isDirectory()) {
        hash.update(`d ${r} ${st.mode & 0o7777}\n`);
        walk(path, r);
      } else {
        hash.update(`f ${r} ${st.mode & 0o7777}\n`);
        hash.update(readFileSync(path));
      }
    }
  };
  for (const root of roots) walk(root, root);
  return hash.digest("hex");
}

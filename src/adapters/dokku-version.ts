import { join } from "node:path";
import { contractFor, type DokkuContract } from "../core/dokku-contract.ts";
import { readIfExists } from "./files.ts";
import type { DokkuPaths } from "./paths.ts";

/** `$DOKKU_LIB_ROOT/VERSION` (`v0.31.5`), as Dokku's package writes it; undefined when absent. */
export function readDokkuVersionFile(paths: DokkuPaths): string | undefined {
  return readIfExists(join(paths.libRoot, "VERSION"));
}

const byLibRoot = new Map<string, DokkuContract>();

/** The host's ps contract, read once per process (per lib root). */
export function hostContract(paths: DokkuPaths): DokkuContract {
  let contract = byLibRoot.get(paths.libRoot);
  if (contract === undefined) {
    contract = contractFor(readDokkuVersionFile(paths));
    byLibRoot.set(paths.libRoot, contract);
  }
  return contract;
}

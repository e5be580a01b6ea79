import { ConfigStore } from "../adapters/config.ts";
import { pathsFromEnv, type DokkuPaths } from "../adapters/paths.ts";
import { PropertyStore } from "../adapters/properties.ts";
import { hostContract } from "../adapters/dokku-version.ts";
import type { DokkuContract } from "../core/dokku-contract.ts";

/** Everything a command or trigger needs from the host, built once at the edge. */
export interface Context {
  readonly paths: DokkuPaths;
  readonly config: ConfigStore;
  /** ps's own properties (`$DOKKU_LIB_ROOT/config/ps`). */
  readonly props: PropertyStore;
  /** common's properties: the cached `deployed` flag lives there. */
  readonly commonProps: PropertyStore;
  /** The ps contract of the host's Dokku (its VERSION file), read when first asked. */
  readonly contract: DokkuContract;
}

export function createContext(env: NodeJS.ProcessEnv = process.env): Context {
  const paths = pathsFromEnv(env);
  return {
    paths,
    config: new ConfigStore(paths, () => hostContract(paths).envFiles),
    props: new PropertyStore(paths, "ps"),
    commonProps: new PropertyStore(paths, "common"),
    get contract() {
      return hostContract(paths);
    },
  };
}

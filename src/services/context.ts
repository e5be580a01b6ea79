import { ConfigStore } from "../adapters/config.ts";
import { pathsFromEnv, type DokkuPaths } from "../adapters/paths.ts";
import { PropertyStore } from "../adapters/properties.ts";

/** Everything a command or trigger needs from the host, built once at the edge. */
export interface Context {
  readonly paths: DokkuPaths;
  readonly config: ConfigStore;
  /** ps's own properties (`$DOKKU_LIB_ROOT/config/ps`). */
  readonly props: PropertyStore;
  /** common's properties: the cached `deployed` flag lives there. */
  readonly commonProps: PropertyStore;
}

export function createContext(env: NodeJS.ProcessEnv = process.env): Context {
  const paths = pathsFromEnv(env);
  return {
    paths,
    config: new ConfigStore(paths),
    props: new PropertyStore(paths, "ps"),
    commonProps: new PropertyStore(paths, "common"),
  };
}

import { docker, withEngine } from "../adapters/docker.ts";

/**
 * `.State.Status` of many containers with as few engine round trips as
 * possible: ONE `GET /containers/json?all=1&filters={"label":["dokku"]}`
 * for everything Dokku created (every deploy container carries the
 * `dokku` label), plus, only if some wanted id was not in that answer, one
 * more list query filtered by those ids. Never one inspect per container.
 *
 * Ids the engine does not know are absent from the map (shown as `missing`).
 */
export async function containerStates(ids: readonly string[], labelled?: Promise<ContainerList>): Promise<Map<string, string>> {
  const states = new Map<string, string>();
  if (ids.length === 0) return states;
  const first = labelled ?? listLabelled();
  return withEngine(async (d) => {
    const record = (list: ContainerList): void => {
      for (const c of list) states.set(c.Id, c.State);
    };
    record(await first);
    const unknown = ids.filter((id) => !lookup(states, id));
    if (unknown.length > 0) record(await d.listContainers({ all: true, filters: { id: unknown } }));
    const wanted = new Map<string, string>();
    for (const id of ids) {
      const state = lookup(states, id);
      if (state !== undefined) wanted.set(id, state);
    }
    return wanted;
  });
}

type ContainerList = Array<{ Id: string; State: string }>;

const listLabelled = (): Promise<ContainerList> => withEngine((d) => d.listContainers({ all: true, filters: { label: ["dokku"] } }));

/**
 * containerStates with its first query sent now: the engine answers while
 * the caller reads the apps' files (ps:report over many apps). Its failure
 * surfaces only if the states are asked for (no app with containers asks
 * nothing of the engine, as containerStates).
 */
export async function startContainerStates(): Promise<(ids: readonly string[]) => Promise<Map<string, string>>> {
  // dockerode is loaded first, so the query is sent before the caller reads
  // anything (a lazy import alone would run after the caller's synchronous reads).
  await docker().catch(() => undefined);
  const labelled = listLabelled();
  labelled.catch(() => undefined);
  // One turn of the event loop: the socket connects and the request is written.
  await new Promise((resolve) => setImmediate(resolve));
  return (ids) => containerStates(ids, labelled);
}

/** CONTAINER files hold full ids; tolerate a shortened one as Docker does. */
function lookup(states: Map<string, string>, id: string): string | undefined {
  const exact = states.get(id);
  if (exact !== undefined || id.length >= 64) return exact;
  for (const [full, state] of states) if (full.startsWith(id)) return state;
  return undefined;
}

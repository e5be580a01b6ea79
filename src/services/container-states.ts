import { withEngine } from "../adapters/docker.ts";

/**
 * `.State.Status` of many containers with as few engine round trips as
 * possible: ONE `GET /containers/json?all=1&filters={"label":["dokku"]}`
 * for everything Dokku created (every deploy container carries the
 * `dokku` label), plus, only if some wanted id was not in that answer, one
 * more list query filtered by those ids. Never one inspect per container.
 *
 * Ids the engine does not know are absent from the map (shown as `missing`).
 */
export async function containerStates(ids: readonly string[]): Promise<Map<string, string>> {
  const states = new Map<string, string>();
  if (ids.length === 0) return states;
  return withEngine(async (d) => {
    const record = (list: Array<{ Id: string; State: string }>): void => {
      for (const c of list) states.set(c.Id, c.State);
    };
    record(await d.listContainers({ all: true, filters: { label: ["dokku"] } }));
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

/** CONTAINER files hold full ids; tolerate a shortened one as Docker does. */
function lookup(states: Map<string, string>, id: string): string | undefined {
  const exact = states.get(id);
  if (exact !== undefined || id.length >= 64) return exact;
  for (const [full, state] of states) if (full.startsWith(id)) return state;
  return undefined;
}

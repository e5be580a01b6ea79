/**
 * Clean-up work (removing throw-away containers) that the caller need not
 * wait for, but the process must: the edge (src/main.ts) settles it before
 * exiting, so nothing is left behind while the trigger's own writes overlap it.
 */
const pending: Array<Promise<unknown>> = [];

export function cleanUpBeforeExit(work: Promise<unknown>): void {
  pending.push(work.catch(() => undefined));
}

export async function settleCleanUps(): Promise<void> {
  while (pending.length) await Promise.all(pending.splice(0));
}

import { DokkuError } from "../core/errors.ts";
import type { ParsedArgs } from "../cli-args.ts";
import type { Context } from "../services/context.ts";

/** ps:start / stop / restart / restore / rebuild / retire and the triggers that reuse them — TODO(issue 4). */
const todo = (what: string) => async (_ctx: Context, _args: ParsedArgs): Promise<void> => {
  throw new DokkuError(`${what} is not implemented yet`);
};
export const startCommand = todo("ps:start");
export const stopCommand = todo("ps:stop");
export const restartCommand = todo("ps:restart");
export const restoreCommand = todo("ps:restore");
export const rebuildCommand = todo("ps:rebuild");
export const retireCommand = todo("ps:retire");

/** `app-restart <app>`: same as `ps:restart <app>`. */
export async function appRestartTrigger(_ctx: Context, _args: string[]): Promise<void> {
  throw new DokkuError("app-restart is not implemented yet");
}
/** `post-app-clone <old> <new>` and `post-app-rename <old> <new>`: rebuild the new app unless SKIP_REBUILD=true. */
export async function postAppCloneOrRenameTrigger(_ctx: Context, _args: string[]): Promise<void> {
  throw new DokkuError("post-app-clone/rename is not implemented yet");
}

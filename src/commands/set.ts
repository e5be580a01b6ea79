import { DokkuError } from "../core/errors.ts";
import type { ParsedArgs } from "../cli-args.ts";
import type { Context } from "../services/context.ts";

/** `ps:set [--global|<app>] <key> [<value>]` — TODO(issue 4). */
export async function setCommand(_ctx: Context, _args: ParsedArgs): Promise<void> {
  throw new DokkuError("ps:set is not implemented yet");
}

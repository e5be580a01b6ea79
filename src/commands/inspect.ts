import { DokkuError } from "../core/errors.ts";
import type { ParsedArgs } from "../cli-args.ts";
import type { Context } from "../services/context.ts";

/** `ps:inspect <app>` — TODO(issue 4). */
export async function inspectCommand(_ctx: Context, _args: ParsedArgs): Promise<void> {
  throw new DokkuError("ps:inspect is not implemented yet");
}

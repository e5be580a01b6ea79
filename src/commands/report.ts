import { DokkuError } from "../core/errors.ts";
import type { ParsedArgs } from "../cli-args.ts";
import type { Context } from "../services/context.ts";

/** `ps:report [<app>] [--<flag>] [--format stdout|json]` — TODO(issue 4). */
export async function reportCommand(_ctx: Context, _args: ParsedArgs): Promise<void> {
  throw new DokkuError("ps:report is not implemented yet");
}

/** `report <app>` trigger: the stdout report block for one app. */
export async function reportTrigger(_ctx: Context, _args: string[]): Promise<void> {
  throw new DokkuError("report trigger is not implemented yet");
}

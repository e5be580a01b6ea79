import { DokkuError } from "../core/errors.ts";
import { maskText, pythonJsonDumps, sanitizeInspect, secretsFrom } from "../core/inspect-sanitize.ts";
import { log } from "../adapters/log.ts";
import { triggerOutput } from "../adapters/plugn.ts";
import { verifyApp } from "../services/apps.ts";
import type { Context } from "../services/context.ts";
import type { ParsedArgs } from "../cli-args.ts";

/**
 * `ps:inspect <app>` (contract §6.1, §7.5): the scheduler's inspect JSON
 * with Dokku's env masking, and beyond Dokku with every config value of the
 * app (and the global config) masked wherever it appears — see
 * core/inspect-sanitize.ts. Output that is not JSON is refused rather than
 * printed unsanitized.
 */
export async function inspectCommand(ctx: Context, args: ParsedArgs): Promise<void> {
  const app = verifyApp(ctx, args.positionals[0]);
  const secrets = secretsFrom([...ctx.config.appEnv(app).values(), ...ctx.config.globalEnv().values()]);
  const out = await triggerOutput("scheduler-inspect", [ctx.config.scheduler(app), app]);
  if (out.stderr) log.err(maskText(out.stderr, secrets));
  if (out.exitCode !== 0) throw new DokkuError("", out.exitCode);

  // A scheduler without an inspect hook answers nothing; so do we.
  if (out.stdout.trim() === "") return;
  let data: unknown;
  try {
    data = JSON.parse(out.stdout);
  } catch {
    throw new DokkuError(`Unable to parse the output of scheduler-inspect for ${app} as JSON; not printing it unsanitized`);
  }
  log.out(`${pythonJsonDumps(sanitizeInspect(data, secrets))}\n`);
}

import { DokkuError } from "../core/errors.ts";
import { assertImageTag } from "../core/image-tag.ts";
import { isValidProcessType, procfileCommand } from "../core/procfile.ts";
import { ensureDir, readIfExists, writeFileAtomic } from "../adapters/files.ts";
import { log } from "../adapters/log.ts";
import { verifyApp } from "../services/apps.ts";
import type { Context } from "../services/context.ts";
import { procfileCopyPath, readProcfileCopy } from "../services/formation.ts";
import { extractProcessFiles, imageName, readImageProcessFiles } from "../services/image-formation.ts";

/** `pre-deploy <app> <tag>`: Procfile and formation from the image being deployed. */
export async function preDeploy(ctx: Context, [app, tag]: string[]): Promise<void> {
  verifyApp(ctx, app);
  await extractProcessFiles(ctx, app as string, tag ? assertImageTag(tag) : undefined);
}

/**
 * `procfile-get-command <app> <type> [port]`: the start command for one
 * process type. Called once per container during a deploy, so it reads the
 * Procfile copy and only goes to the image when there is none.
 */
export async function procfileGetCommand(ctx: Context, [app, type, portText]: string[]): Promise<void> {
  verifyApp(ctx, app);
  if (!isValidProcessType(type ?? "")) throw new DokkuError(`Invalid process type ${JSON.stringify(type ?? "")}`);
  const port = /^[0-9]+$/.test(portText ?? "") ? Number(portText) : 5000;
  let entries = readProcfileCopy(ctx, app as string);
  if (entries === undefined) {
    const found = await readImageProcessFiles(app as string, imageName(app as string, undefined));
    if (found.procfileText === undefined) throw new DokkuError("No procfile found");
    ensureDir(ctx.paths.psDataDir(app as string));
    if (readIfExists(procfileCopyPath(ctx, app as string)) === undefined) {
      writeFileAtomic(procfileCopyPath(ctx, app as string), found.procfileText, 0o644);
    }
    entries = found.procfile ?? [];
  }
  const command = procfileCommand(entries, type ?? "", port);
  if (command) log.out(`${command}\n`);
}

/**
 * `post-deploy <app> …`: every current container must carry the app's
 * restart policy. A container created by something that bypassed
 * docker-args (or before a policy change) is corrected in place.
 */
export async function postDeploy(ctx: Context, [app]: string[]): Promise<void> {
  verifyApp(ctx, app);
  if (ctx.config.scheduler(app as string) !== "docker-local") return;
  const { containerSlots } = await import("../services/containers.ts");
  const { effectiveRestartPolicy } = await import("../services/restart-policy.ts");
  const { fromDockerRestartPolicy, toDockerRestartPolicy } = await import("../core/restart-policy.ts");
  const { withEngine, isNotFound } = await import("../adapters/docker.ts");
  const slots = containerSlots(ctx, app as string);
  if (slots.length === 0) return;
  const wanted = effectiveRestartPolicy(ctx, app as string);
  await withEngine(async (d) => {
    await Promise.all(
      slots.map(async ({ id }) => {
        const container = d.getContainer(id);
        try {
          const info = await container.inspect();
          if (fromDockerRestartPolicy(info.HostConfig?.RestartPolicy) === wanted) return;
          await container.update({ RestartPolicy: toDockerRestartPolicy(wanted) });
          log.verboseQuiet(`Restart policy of ${info.Name.replace(/^\//, "")} set to ${wanted}`);
        } catch (error) {
          if (!isNotFound(error)) throw error;
        }
      }),
    );
  });
}

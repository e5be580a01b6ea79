import { DokkuError } from "../core/errors.ts";
import type { Context } from "./context.ts";
import { containerSlots } from "./containers.ts";

/**
 * The tag of the image the app runs now (Dokku reads it off the first
 * container). Apps on another scheduler have no CONTAINER files: `latest`.
 */
export async function runningImageTag(ctx: Context, app: string): Promise<string> {
  if (ctx.config.scheduler(app) !== "docker-local") return "latest";
  const [first] = containerSlots(ctx, app);
  const { withEngine, isNotFound } = await import("../adapters/docker.ts");
  const image = await withEngine(async (d) => {
    if (!first) {
      await d.ping();
      return "";
    }
    try {
      return (await d.getContainer(first.id).inspect()).Config.Image;
    } catch (error) {
      if (isNotFound(error)) return "";
      throw error;
    }
  });
  if (image === "") return "latest";
  const colon = image.lastIndexOf(":");
  const tag = colon > image.lastIndexOf("/") ? image.slice(colon + 1) : "";
  if (!tag) throw new DokkuError("No image tag found");
  return tag;
}

/**
 * Fails with the one-line engine error before a command changes anything,
 * for apps whose scheduler talks to this host's Docker engine.
 */
export async function assertEngineReachable(ctx: Context, app: string): Promise<void> {
  if (ctx.config.scheduler(app) !== "docker-local") return;
  const { withEngine } = await import("../adapters/docker.ts");
  await withEngine((d) => d.ping());
}

import { readdirSync } from "node:fs";
import { readIfExists } from "../adapters/files.ts";
import type { Context } from "./context.ts";

/** One `CONTAINER.<type>.<n>` file of the docker-local scheduler. */
export interface ContainerSlot {
  readonly processType: string;
  readonly index: number;
  readonly id: string;
}

const SLOT = /^CONTAINER\.([A-Za-z0-9_-]+)\.([0-9]+)$/;

/** The app's current containers as docker-local records them, in file-name order. */
export function containerSlots(ctx: Context, app: string): ContainerSlot[] {
  let names: string[];
  try {
    names = readdirSync(ctx.paths.appDir(app));
  } catch {
    return [];
  }
  const slots: ContainerSlot[] = [];
  for (const name of names.sort()) {
    const match = SLOT.exec(name);
    if (!match) continue;
    const id = (readIfExists(ctx.paths.appFile(app, name)) ?? "").trim();
    if (/^[0-9a-f]{12,64}$/.test(id)) slots.push({ processType: match[1] as string, index: Number(match[2]), id });
  }
  return slots;
}

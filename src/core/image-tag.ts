import { DokkuError } from "./errors.ts";

/** Docker's tag grammar: a word character, then up to 127 of `[A-Za-z0-9_.-]`. */
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/**
 * Validates an image tag passed in by another plugin (`pre-deploy <app>
 * <tag>`) before it becomes part of an engine API path (`/images/<name>/json`).
 */
export function assertImageTag(tag: string): string {
  if (!TAG.test(tag)) throw new DokkuError(`Invalid image tag ${JSON.stringify(tag)}`);
  return tag;
}

/**
 * What makes a tar entry from an image unusable as an app file (Procfile,
 * DOKKU_SCALE, app.json), in one place for both ways of reading them (one
 * archive per file, or a directory scan), so both refuse alike.
 */

export const tooLargeMessage = (label: string, maxBytes: number): string => `${label} in the app image is larger than ${maxBytes} bytes; refusing it`;

export const notSingleFileMessage = (label: string): string => `${label} in the app image is not a single file; refusing it`;

/** Why the entry cannot be the file `label`, judged by its header (not a regular file, too big); undefined if it can. */
export function entryRefusal(label: string, header: { readonly type?: string | null; readonly size?: number }, maxBytes: number): string | undefined {
  if (header.type !== "file") return `${label} in the app image is a ${header.type ?? "special file"}, not a regular file; refusing it`;
  if ((header.size ?? 0) > maxBytes) return tooLargeMessage(label, maxBytes);
  return undefined;
}

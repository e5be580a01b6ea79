import { posix } from "node:path";

/**
 * Where a relative app file (DOKKU_SCALE, Procfile, app.json) is looked for
 * inside an image, first match wins: the image's WORKDIR (where a
 * Dockerfile's `COPY . .` puts the repo), then `/app` (herokuish), then `/`.
 */
export function candidatePaths(file: string, workingDir: string): string[] {
  if (file.startsWith("/")) return [posix.normalize(file)];
  const roots = [workingDir || "/", "/app", "/"];
  const seen = new Set<string>();
  for (const root of roots) seen.add(posix.join(posix.normalize(root), file));
  return [...seen];
}

import type Dockerode from "dockerode";
import type { Readable } from "node:stream";
import { posix } from "node:path";
import { DokkuError } from "../core/errors.ts";
import { candidatePaths } from "../core/image-paths.ts";
import { engineError, isNotFound, withEngine } from "./docker.ts";

/** A file read out of an image: its text and where it was found. */
export interface ImageFile {
  readonly path: string;
  readonly content: string;
}

export interface ReadImageFilesOptions {
  /** Labels the throw-away container so cleanup tools can attribute it. */
  readonly app: string;
  /** Files larger than this are refused (they are app-controlled input). */
  readonly maxBytes: number;
}

/**
 * Reads small app files (DOKKU_SCALE, Procfile, app.json) out of a built
 * image: ONE throw-away container (never started) and one archive request
 * per candidate path, streamed through tar-stream. Nothing is exported and
 * nothing but the requested file's bytes is buffered, so the cost does not
 * grow with the image size.
 *
 * Each name resolves against WORKDIR, then /app, then / (first found wins).
 * Missing files map to undefined. A path that is not a regular file
 * (symlink, directory, device), is too large, or comes with extra tar
 * entries is refused with a DokkuError.
 */
export async function readFilesFromImage(
  image: string,
  names: readonly string[],
  options: ReadImageFilesOptions,
): Promise<Map<string, ImageFile | undefined>> {
  return withEngine(async (d) => {
    // The image's WORKDIR and the throw-away container are independent: ask
    // for both at once. A missing image fails both with a 404.
    const [inspected, created] = await Promise.allSettled([
      d.getImage(image).inspect(),
      d.createContainer({
        Image: image,
        // Never started: the command only has to satisfy the engine for images without CMD.
        Cmd: ["/dokku-ps-never-started"],
        Labels: { "com.dokku.app-name": options.app, "com.dokku.container-type": "ps-extract", dokku: "" },
        NetworkDisabled: true,
        HostConfig: { NetworkMode: "none" },
      }),
    ]);
    if (inspected.status === "rejected" || created.status === "rejected") {
      if (created.status === "fulfilled") await created.value.remove({ force: true, v: true }).catch(() => undefined);
      const error = inspected.status === "rejected" ? inspected.reason : (created as PromiseRejectedResult).reason;
      if (isNotFound(error)) throw new DokkuError(`App image (${image}) not found`);
      throw error;
    }
    const container = created.value;
    const workingDir = inspected.value.Config?.WorkingDir ?? "";
    try {
      // Every candidate path of every file at once; then, per file, the first
      // candidate in priority order that exists wins (or refuses the deploy).
      const found = await Promise.all(
        names.map(async (name) => {
          const paths = candidatePaths(name, workingDir);
          const attempts = await Promise.allSettled(paths.map((path) => readOne(container, path, name, options.maxBytes)));
          for (const [i, attempt] of attempts.entries()) {
            if (attempt.status === "rejected") throw attempt.reason;
            if (attempt.value !== undefined) return [name, { path: paths[i] as string, content: attempt.value }] as const;
          }
          return [name, undefined] as const;
        }),
      );
      return new Map<string, ImageFile | undefined>(found);
    } finally {
      await container.remove({ force: true, v: true }).catch(() => undefined);
    }
  });
}

async function readOne(container: Dockerode.Container, path: string, label: string, maxBytes: number): Promise<string | undefined> {
  let archive: NodeJS.ReadableStream;
  try {
    archive = await container.getArchive({ path });
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw engineError(error);
  }
  return readSingleFileFromTar(archive as unknown as Readable, posix.basename(path), label, maxBytes);
}

/**
 * Takes the one regular file an engine archive of a single path must hold.
 * Stops reading as soon as the answer is known, destroying the stream so a
 * directory or oversized file is never pulled in full.
 */
export async function readSingleFileFromTar(archive: Readable, expectedName: string, label: string, maxBytes: number): Promise<string> {
  // tar-stream is CommonJS: bundled, its exports arrive under `default`.
  const tar = (await import("tar-stream")) as typeof import("tar-stream") & { default?: typeof import("tar-stream") };
  const extract = tar.extract ?? tar.default?.extract;
  const ex = extract();
  return new Promise<string>((resolve, reject) => {
    let settled = false;
    let content: Buffer | undefined;
    const fail = (message: string): void => {
      if (settled) return;
      settled = true;
      archive.destroy();
      ex.destroy();
      reject(new DokkuError(message));
    };
    ex.on("entry", (header, stream, next) => {
      if (content !== undefined) return fail(`${label} in the app image is not a single file; refusing it`);
      if (header.type !== "file") return fail(`${label} in the app image is a ${header.type ?? "special file"}, not a regular file; refusing it`);
      if (header.name !== expectedName) return fail(`${label} in the app image has an unexpected path; refusing it`);
      if ((header.size ?? 0) > maxBytes) return fail(`${label} in the app image is larger than ${maxBytes} bytes; refusing it`);
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on("data", (data: unknown) => {
        const chunk = data as Buffer;
        size += chunk.length;
        if (size > maxBytes) return fail(`${label} in the app image is larger than ${maxBytes} bytes; refusing it`);
        chunks.push(chunk);
      });
      stream.on("end", () => {
        content = Buffer.concat(chunks);
        next();
      });
      stream.on("error", (error) => fail(`Could not read ${label} from the app image: ${error.message}`));
    });
    ex.on("finish", () => {
      if (settled) return;
      settled = true;
      if (content === undefined) reject(new DokkuError(`${label} in the app image could not be read (empty archive)`));
      else resolve(content.toString("utf8"));
    });
    ex.on("error", (error) => fail(`Could not read ${label} from the app image: ${error.message}`));
    archive.on("error", (error) => fail(`Could not read ${label} from the app image: ${error.message}`));
    archive.pipe(ex);
  });
}

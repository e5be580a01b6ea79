import type Dockerode from "dockerode";
import type { Readable } from "node:stream";
import { posix } from "node:path";
import { DokkuError } from "../core/errors.ts";
import { candidatePaths } from "../core/image-paths.ts";
import { engineError, isNotFound, withEngine } from "./docker.ts";

export interface ImageReaderOptions {
  /** Labels the throw-away container so cleanup tools can attribute it. */
  readonly app: string;
  /** Files larger than this are refused (they are app-controlled input). */
  readonly maxBytes: number;
}

/** Finds and reads small app files inside one image. */
export interface ImageReader {
  /** Where `name` is (WORKDIR, then /app, then /; first that exists), or undefined. */
  locate(name: string): Promise<string | undefined>;
  /** The text of the regular file at `path`, validated as untrusted input. */
  read(path: string, label: string): Promise<string>;
}

/**
 * Opens a built image for reading small app files (DOKKU_SCALE, Procfile,
 * app.json): ONE throw-away container, created but never started, removed
 * when `fn` settles. Nothing is exported and nothing but the requested
 * files' bytes is buffered, so the cost does not grow with the image size.
 *
 * Finding a file costs a HEAD (a stat) per candidate path, which the engine
 * answers in milliseconds; reading one costs a tar stream the engine builds
 * in a re-executed helper (~0.1 s each), so only the files actually needed
 * are read. A path that is not a regular file (symlink, directory, device),
 * is too large, or comes with extra tar entries is refused with a DokkuError.
 */
export async function withImageFiles<T>(image: string, options: ImageReaderOptions, fn: (reader: ImageReader) => Promise<T>): Promise<T> {
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
    const reader: ImageReader = {
      locate: async (name) => {
        const paths = candidatePaths(name, workingDir);
        const found = await Promise.all(paths.map((path) => pathExists(container, path)));
        return paths[found.indexOf(true)];
      },
      read: async (path, label) => {
        let archive: NodeJS.ReadableStream;
        try {
          archive = await container.getArchive({ path });
        } catch (error) {
          throw engineError(error);
        }
        return readSingleFileFromTar(archive as unknown as Readable, posix.basename(path), label, options.maxBytes);
      },
    };
    try {
      return await fn(reader);
    } finally {
      await container.remove({ force: true, v: true }).catch(() => undefined);
    }
  });
}

/** A HEAD on the archive endpoint: the engine stats the path without building a tar. */
async function pathExists(container: Dockerode.Container, path: string): Promise<boolean> {
  try {
    await container.infoArchive({ path });
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw engineError(error);
  }
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

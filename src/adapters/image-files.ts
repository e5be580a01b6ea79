import type Dockerode from "dockerode";
import type { Readable } from "node:stream";
import { posix } from "node:path";
import { DokkuError } from "../core/errors.ts";
import { candidatePaths } from "../core/image-paths.ts";
import { cleanUpBeforeExit } from "./cleanup.ts";
import { engineError, isNotFound, withEngine } from "./docker.ts";

export interface ImageReaderOptions {
  /** Labels the throw-away container so cleanup tools can attribute it. */
  readonly app: string;
  /** The image's WORKDIR (from inspectImage), where app files are looked for first. */
  readonly workingDir: string;
  /** Files larger than this are refused (they are app-controlled input). */
  readonly maxBytes: number;
  /** Throw-away containers to read through (1 by default; see withImageFiles). */
  readonly containers?: number;
}

/** Finds and reads small app files inside one image. */
export interface ImageReader {
  /**
   * The text of `name` at the first candidate path where it exists (WORKDIR,
   * then /app, then /), validated as untrusted input; undefined if none.
   */
  readFirst(name: string, label: string): Promise<string | undefined>;
}

/** What identifies an image's content (its ID, a digest) and where its app lives. */
export interface ImageIdentity {
  readonly id: string;
  readonly workingDir: string;
}

export async function inspectImage(image: string): Promise<ImageIdentity> {
  return withEngine(async (d) => {
    try {
      const info = await d.getImage(image).inspect();
      return { id: info.Id, workingDir: info.Config?.WorkingDir ?? "" };
    } catch (error) {
      if (isNotFound(error)) throw new DokkuError(`App image (${image}) not found`);
      throw error;
    }
  });
}

/**
 * Opens a built image (best by ID, see inspectImage) for reading small app
 * files (DOKKU_SCALE, Procfile, app.json): throw-away containers, created
 * but never started, removed once `fn` settles (before the process exits).
 * Nothing is exported and nothing but the requested files' bytes is
 * buffered, so the cost does not grow with the image size.
 *
 * Reading a file costs a tar stream the engine builds in a re-executed
 * helper (~0.13 s and ~0.18 s of engine CPU each on Docker 20.10), so only
 * the files actually needed are read; a GET of a missing path is answered
 * in milliseconds (as fast as a HEAD would be), so candidates are simply
 * tried in order. The engine serves one archive request per container at a
 * time: `containers` > 1 lets reads run in parallel. A path that is not a
 * regular file (symlink, directory, device), is too large, or comes with
 * extra tar entries is refused with a DokkuError.
 */
export async function withImageFiles<T>(image: string, options: ImageReaderOptions, fn: (reader: ImageReader) => Promise<T>): Promise<T> {
  const lanes = Math.max(1, options.containers ?? 1);
  return withEngine(async (d) => {
    const created = Array.from({ length: lanes }, () =>
      d.createContainer({
        Image: image,
        // Never started: the command only has to satisfy the engine for images without CMD.
        Cmd: ["/dokku-ps-never-started"],
        Labels: { "com.dokku.app-name": options.app, "com.dokku.container-type": "ps-extract", dokku: "" },
        NetworkDisabled: true,
        HostConfig: { NetworkMode: "none" },
      }),
    );
    // Marked handled now: a failed creation is reported where it is awaited.
    for (const c of created) c.catch(() => undefined);
    // Load the tar parser while the engine answers, not after.
    setImmediate(() => void loadTarExtract().catch(() => undefined));
    const removeAll = async () => {
      const settled = await Promise.allSettled(created);
      await Promise.all(settled.map((c) => (c.status === "fulfilled" ? c.value.remove({ force: true, v: true }).catch(() => undefined) : undefined)));
    };
    const workingDir = options.workingDir;
    // Each operation takes the next container: the engine serves one archive
    // request per container at a time, so separate containers read in parallel.
    let turn = 0;
    const nextContainer = () =>
      (created[turn++ % lanes] as Promise<Dockerode.Container>).catch((error: unknown) => {
        throw isNotFound(error) ? new DokkuError(`App image (${image}) not found`) : engineError(error);
      });
    const archiveOf = async (container: Dockerode.Container, path: string): Promise<Readable | undefined> => {
      try {
        return (await container.getArchive({ path })) as unknown as Readable;
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw engineError(error);
      }
    };
    const reader: ImageReader = {
      readFirst: async (name, label) => {
        const container = await nextContainer();
        for (const path of candidatePaths(name, workingDir)) {
          const archive = await archiveOf(container, path);
          if (archive) return readSingleFileFromTar(archive, posix.basename(path), label, options.maxBytes);
        }
        return undefined;
      },
    };
    try {
      return await fn(reader);
    } finally {
      // Removal overlaps what the caller does next; the process waits for it before exiting.
      cleanUpBeforeExit(removeAll());
    }
  });
}

let tarExtract: Promise<typeof import("tar-stream").extract> | undefined;
function loadTarExtract(): Promise<typeof import("tar-stream").extract> {
  // tar-stream is CommonJS: under tsx (tests) its exports may arrive under `default`.
  tarExtract ??= import("tar-stream").then((tar) => tar.extract ?? tar.default?.extract);
  return tarExtract;
}

/**
 * Takes the one regular file an engine archive of a single path must hold.
 * Stops reading as soon as the answer is known, destroying the stream so a
 * directory or oversized file is never pulled in full.
 */
export async function readSingleFileFromTar(archive: Readable, expectedName: string, label: string, maxBytes: number): Promise<string> {
  const ex = (await loadTarExtract())();
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

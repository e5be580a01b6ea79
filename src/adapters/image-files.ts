import type Dockerode from "dockerode";
import type { Readable } from "node:stream";
import { posix } from "node:path";
import { DirectoryScan, type DirectoryScanOptions, type DirectoryScanResult } from "../core/directory-scan.ts";
import { DokkuError } from "../core/errors.ts";
import { entryRefusal, notSingleFileMessage, tooLargeMessage } from "../core/image-file-entry.ts";
import { cleanUpBeforeExit } from "./cleanup.ts";
import { engineError, isNotFound, withEngine } from "./docker.ts";

export interface ImageReaderOptions {
  /** Labels the throw-away container so cleanup tools can attribute it. */
  readonly app: string;
  /** Files larger than this are refused (they are app-controlled input). */
  readonly maxBytes: number;
  /** Bytes a directory scan may read before the answer is known (see scanDirectory). */
  readonly scanBudgetBytes?: number;
  /** Throw-away containers to read through (1 by default; see withImageFiles). */
  readonly containers?: number;
}

/** Finds and reads small app files inside one image. */
export interface ImageReader {
  /**
   * The text of the first of `paths` that exists in the image, validated as
   * untrusted input (a regular file, not too big); undefined if none does.
   * One archive request per path tried.
   */
  readFirst(paths: readonly string[], label: string): Promise<string | undefined>;
  /**
   * The wanted regular files directly inside directory `dir`, with one
   * archive request for the whole directory that stops as soon as they are
   * decided (src/core/directory-scan.ts). A wanted name that is there but not
   * a regular file, or too big, fails the read as readFirst would.
   */
  scanDirectory(dir: string, wanted: DirectoryScanOptions["wanted"]): Promise<DirectoryScanResult>;
}

/** What identifies an image's content (its ID, a digest) and where its app lives. */
export interface ImageIdentity {
  readonly id: string;
  readonly workingDir: string;
}

/** Dokku's "App image (<image>) not found": a caller may take it as "no files". */
export class ImageNotFoundError extends DokkuError {
  constructor(image: string) {
    super(`App image (${image}) not found`);
  }
}

export async function inspectImage(image: string): Promise<ImageIdentity> {
  return withEngine(async (d) => {
    try {
      const info = await d.getImage(image).inspect();
      return { id: info.Id, workingDir: info.Config?.WorkingDir ?? "" };
    } catch (error) {
      if (isNotFound(error)) throw new ImageNotFoundError(image);
      throw error;
    }
  });
}

/**
 * Opens a built image (best by ID, see inspectImage) for reading small app
 * files (DOKKU_SCALE, Procfile, app.json): throw-away containers, created
 * but never started, removed once `fn` settles (before the process exits).
 * Nothing is exported and nothing but the wanted files' bytes is buffered,
 * so the cost does not grow with the image size.
 *
 * Every archive request with content costs a tar stream the engine builds
 * in a re-executed helper (~0.13 s and ~0.18 s of engine CPU each on Docker
 * 20.10): scanDirectory gets all wanted files of one directory with one of
 * them; readFirst reads one file per request (a GET of a missing path is
 * answered in milliseconds, as fast as a HEAD, so candidates are simply
 * tried in order). The engine serves one archive request per container at
 * a time: `containers` > 1 lets reads run in parallel. A wanted path that is
 * not a regular file (symlink, directory, device), is too large, or comes
 * with extra tar entries is refused with a DokkuError.
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
    // Each operation takes the next container: the engine serves one archive
    // request per container at a time, so separate containers read in parallel.
    let turn = 0;
    const nextContainer = () =>
      (created[turn++ % lanes] as Promise<Dockerode.Container>).catch((error: unknown) => {
        throw isNotFound(error) ? new ImageNotFoundError(image) : engineError(error);
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
      readFirst: async (paths, label) => {
        const container = await nextContainer();
        for (const path of paths) {
          const archive = await archiveOf(container, path);
          if (archive) return readSingleFileFromTar(archive, posix.basename(path), label, options.maxBytes);
        }
        return undefined;
      },
      scanDirectory: async (dir, wanted) => {
        const container = await nextContainer();
        let archive: Readable | undefined;
        try {
          // `<dir>/.` names the directory's content: entries come as `./<name>`,
          // and a symlinked directory is followed as it is for `<dir>/<name>`.
          archive = await archiveOf(container, `${dir.replace(/\/+$/, "")}/.`);
        } catch {
          // Not a directory, or any other refusal: per-file reads will tell.
          return { files: new Map(), absent: new Set(), complete: false };
        }
        if (!archive) return { files: new Map(), absent: new Set(wanted(new Set())), complete: true };
        // Docker's archiver walks directories in byte order (filepath.Walk):
        // only then may the scan stop before the end of the listing.
        const server = (archive as Readable & { headers?: Record<string, unknown> }).headers?.["server"];
        const ordered = typeof server === "string" && server.startsWith("Docker/");
        const budgetBytes = options.scanBudgetBytes ?? DEFAULT_SCAN_BUDGET_BYTES;
        return scanDirectoryTar(archive, new DirectoryScan({ wanted, ordered, budgetBytes, maxFileBytes: options.maxBytes }));
      },
    };
    try {
      return await fn(reader);
    } finally {
      // Removal overlaps what the caller does next (validating, writing files);
      // the process waits for it before exiting.
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

/** What collectEntry needs of tar-stream's entry stream (a streamx Readable). */
interface EntryStream {
  on(event: "data", listener: (data: unknown) => void): unknown;
  on(event: "end", listener: () => void): unknown;
}

/**
 * An entry's bytes, bounded: `tooLarge` as soon as more than `maxBytes`
 * arrive (a header may understate the size), else `done` with all of them.
 */
function collectEntry(stream: EntryStream, maxBytes: number, tooLarge: () => void, done: (bytes: Buffer) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  stream.on("data", (data: unknown) => {
    const chunk = data as Buffer;
    size += chunk.length;
    if (size > maxBytes) return tooLarge();
    chunks.push(chunk);
  });
  stream.on("end", () => {
    if (size <= maxBytes) done(Buffer.concat(chunks));
  });
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
      if (content !== undefined) return fail(notSingleFileMessage(label));
      const refusal = entryRefusal(label, header, maxBytes);
      if (refusal !== undefined) return fail(refusal);
      if (header.name !== expectedName) return fail(`${label} in the app image has an unexpected path; refusing it`);
      collectEntry(stream, maxBytes, () => fail(tooLargeMessage(label, maxBytes)), (bytes) => {
        content = bytes;
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

/** What a directory scan reads at most before its answer is known: a few MiB stream in tens of ms. */
const DEFAULT_SCAN_BUDGET_BYTES = 4 * 1024 * 1024;

/**
 * Feeds an engine archive of `<dir>/.` to `scan` (src/core/directory-scan.ts),
 * collecting the entries it takes and dropping the stream as soon as it
 * stops or gives up. A stream that breaks off is a scan that gave up: the
 * caller's per-file reads then meet (and report) whatever went wrong.
 */
export async function scanDirectoryTar(archive: Readable, scan: DirectoryScan): Promise<DirectoryScanResult> {
  const ex = (await loadTarExtract())();
  return new Promise<DirectoryScanResult>((resolve, reject) => {
    let settled = false;
    const finish = (error?: DokkuError): void => {
      if (settled) return;
      settled = true;
      archive.destroy();
      ex.destroy();
      if (error) reject(error);
      else resolve(scan.result());
    };
    ex.on("entry", (header, stream, next) => {
      const step = scan.next({ name: header.name, type: header.type, size: header.size });
      if (step.kind === "skip") {
        stream.on("end", next);
        stream.resume();
        return;
      }
      if (step.kind !== "take") return finish(step.kind === "refuse" ? new DokkuError(step.message) : undefined);
      collectEntry(stream, scan.maxFileBytes, () => finish(new DokkuError(tooLargeMessage(step.name, scan.maxFileBytes))), (bytes) => {
        if (settled) return;
        if (scan.took(step.name, bytes.toString("utf8")).kind === "skip") next();
        else finish();
      });
    });
    ex.on("finish", () => {
      scan.ended();
      finish();
    });
    ex.on("error", () => finish());
    archive.on("error", () => finish());
    archive.pipe(ex);
  });
}

/**
 * Deciding, entry by entry, what to take from the tar stream of one
 * directory (an engine archive of `<dir>/.`) when only a few regular files
 * directly inside it are wanted (Procfile, DOKKU_SCALE, app.json).
 *
 * Why a directory at all: on Docker 20.10 every archive request re-executes
 * the daemon binary to build its tar stream (~0.13 s, ~0.18 s of engine CPU
 * each), so one request for the directory beats one request per file — as
 * long as it stops early. Docker's archiver walks a directory in lexical
 * (byte) order, so once an entry sorts after every name still wanted, those
 * names are not there and the stream can be dropped. That shortcut is taken
 * only when the caller vouches for the order (the engine says it is Docker)
 * and the entries seen agree with it; otherwise the whole listing is read.
 * A budget bounds what is read before the answer is known (a herokuish
 * `/app/.heroku` comes before `Procfile`): past it the scan gives up and the
 * names it could not decide are left to per-file reads.
 *
 * Pure: the adapter (src/adapters/image-files.ts) feeds it tar headers.
 */

import { entryRefusal, notSingleFileMessage } from "./image-file-entry.ts";

export interface TarHeader {
  readonly name: string;
  /** tar-stream's entry type: "file", "directory", "symlink", "link", … */
  readonly type?: string | null;
  readonly size?: number;
}

export type ScanStep =
  /** The entry is a wanted file: collect its bytes and call `took`. */
  | { readonly kind: "take"; readonly name: string }
  /** Not wanted: drain it and go on. */
  | { readonly kind: "skip" }
  /** Every wanted name is decided: drop the stream. */
  | { readonly kind: "stop" }
  /** Over budget, or not the archive of a directory: drop the stream; undecided names stay undecided. */
  | { readonly kind: "give-up" }
  /** A wanted name is there but unusable (not a regular file, too big): the read fails with this message. */
  | { readonly kind: "refuse"; readonly message: string };

export interface DirectoryScanOptions {
  /**
   * The names still wanted, given those found so far (app.json counts only
   * without a DOKKU_SCALE). Names are single path components.
   */
  readonly wanted: (found: ReadonlySet<string>) => readonly string[];
  /** The stream is known to list each directory in byte order (Docker's archiver). */
  readonly ordered: boolean;
  /** Bytes (tar headers and skipped content) to read at most before giving up. */
  readonly budgetBytes: number;
  /** A wanted file larger than this is refused (it is app-controlled input). */
  readonly maxFileBytes: number;
}

export interface DirectoryScanResult {
  readonly files: ReadonlyMap<string, string>;
  /** Wanted names known not to be directly in the directory. */
  readonly absent: ReadonlySet<string>;
  /** False when the scan gave up: names neither found nor absent are undecided. */
  readonly complete: boolean;
}

const TAR_HEADER_BYTES = 512;

const byteOrder = (a: string, b: string): number => Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));

/** The path of an archive entry relative to the scanned directory ("" for the directory itself). */
function relativeName(name: string): string {
  let rel = name;
  while (rel.startsWith("./")) rel = rel.slice(2);
  if (rel === ".") rel = "";
  return rel.replace(/\/+$/, "");
}

export class DirectoryScan {
  private readonly options: DirectoryScanOptions;
  private readonly found = new Map<string, string>();
  private readonly absent = new Set<string>();
  /** Wanted names the scan cannot answer for (left to per-file reads). */
  private readonly undecided = new Set<string>();
  private ordered: boolean;
  private sawDirectory = false;
  private lastTop: string | undefined;
  private budget: number;
  private complete = false;

  constructor(options: DirectoryScanOptions) {
    this.options = options;
    this.ordered = options.ordered;
    this.budget = options.budgetBytes;
  }

  /** The most bytes a taken file may have (its content is bounded as it streams). */
  get maxFileBytes(): number {
    return this.options.maxFileBytes;
  }

  private remaining(): string[] {
    return this.options.wanted(new Set(this.found.keys())).filter((name) => !this.found.has(name) && !this.undecided.has(name));
  }

  /** What to do with the next entry of the stream. */
  next(header: TarHeader): ScanStep {
    const rel = relativeName(header.name);
    if (!this.sawDirectory) {
      // The archive of `<dir>/.` starts with the directory itself; anything else
      // (the path is a file, an odd engine) is not something to scan.
      if (rel !== "" || header.type !== "directory") return { kind: "give-up" };
      this.sawDirectory = true;
      return this.charge(header);
    }
    if (rel === "" || rel.split("/").includes("..")) return { kind: "give-up" };
    const top = rel.split("/")[0] as string;
    const nested = rel.includes("/");
    const order = this.lastTop === undefined ? 1 : byteOrder(top, this.lastTop);
    if (order < 0) this.ordered = false;
    else if (order > 0) this.lastTop = top;

    const remaining = this.remaining();
    if (!nested && remaining.includes(top)) {
      if (header.type === "link") {
        // A hard link to a path archived earlier (Docker's tar writer sends a
        // shared inode's bytes once): a per-file read sees a regular file.
        this.undecided.add(top);
        return this.charge(header);
      }
      const refusal = entryRefusal(top, header, this.options.maxFileBytes);
      return refusal === undefined ? { kind: "take", name: top } : { kind: "refuse", message: refusal };
    }
    if (!nested && this.found.has(top)) return { kind: "refuse", message: notSingleFileMessage(top) };
    if (this.ordered && remaining.every((name) => byteOrder(top, name) > 0)) return this.stop(remaining);
    return this.charge(header);
  }

  /** The bytes of the entry `next` said to take. */
  took(name: string, content: string): ScanStep {
    this.found.set(name, content);
    const remaining = this.remaining();
    // In byte order, a name before this one that has not come is not there.
    const passed = this.ordered && remaining.every((other) => byteOrder(other, name) < 0);
    return passed ? this.stop(remaining) : { kind: "skip" };
  }

  /** The stream ended: every name still wanted is absent (the whole listing was seen). */
  ended(): void {
    if (!this.sawDirectory || this.complete) return;
    this.stop(this.remaining());
  }

  result(): DirectoryScanResult {
    return { files: this.found, absent: this.absent, complete: this.complete };
  }

  private stop(remaining: readonly string[]): ScanStep {
    for (const name of remaining) this.absent.add(name);
    this.complete = true;
    return { kind: "stop" };
  }

  private charge(header: TarHeader): ScanStep {
    this.budget -= TAR_HEADER_BYTES + Math.max(0, header.size ?? 0);
    return this.budget < 0 ? { kind: "give-up" } : { kind: "skip" };
  }
}

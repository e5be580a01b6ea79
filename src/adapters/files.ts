import { closeSync, fchmodSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative, sep } from "node:path";
import { ownDescriptor, setPermissions, type Owner } from "./system-user.ts";

/** The file's text (latin1: one character per byte), or undefined when it does not exist. */
export function readIfExists(path: string, encoding: "utf8" | "latin1" = "utf8"): string | undefined {
  try {
    // Most files ps reads are optional, often absent (a report reads a few per
    // app): a missing one costs a stat, not a thrown error (~4x the time).
    if (statSync(path, { throwIfNoEntry: false }) === undefined) return undefined;
    return readFileSync(path, encoding);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT" || (error as NodeJS.ErrnoException).code === "ENOTDIR") return undefined;
    throw error;
  }
}

export function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

export function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

let tmpCounter = 0;

/**
 * Creates `path` (it must not exist) with `content`, fsynced: durable once
 * this returns. For files in a directory that is renamed into place as a
 * whole (see writeFileAtomic for a single file). Its mode is `mode` whatever
 * the umask, and, when we run as root (the `install` trigger), it belongs to
 * the Dokku user and group, as Dokku's own writes (SetPermissions): every
 * other ps command runs as that user and must be able to read and replace it
 * (or to `owner`, that of a file it replaces).
 */
export function writeNewFileSynced(path: string, content: string | Uint8Array, mode = 0o600, owner?: Owner): void {
  const fd = openSync(path, "wx", mode);
  try {
    fchmodSync(fd, mode);
    ownDescriptor(fd, owner);
    // writeFileSync on a descriptor writes all of it (writeSync may write part).
    writeFileSync(fd, content);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(path, { force: true });
    throw error;
  }
  closeSync(fd);
}

/**
 * Writes a file so that a reader (or a crash) never sees half of it: a
 * temporary file in the same directory, fsynced, renamed over the target,
 * then the directory fsynced so the rename itself is durable. Mode and owner
 * as writeNewFileSynced's.
 */
export function writeFileAtomic(path: string, content: string | Uint8Array, mode = 0o600, owner?: Owner): void {
  const dir = dirname(path);
  // pid + counter + random is unique enough for an O_EXCL create; node:crypto
  // would cost every trigger ~10 ms of start-up just to load.
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${++tmpCounter}${Math.random().toString(36).slice(2, 8)}.tmp`);
  writeNewFileSynced(tmp, content, mode, owner);
  try {
    renameSync(tmp, path);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
  fsyncDir(dir);
}

/** Makes the renames and creations inside `dir` durable. */
export function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, "r");
    fsyncSync(fd);
  } catch {
    // Some filesystems refuse fsync on directories; the rename is still atomic.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export function removeIfExists(path: string): boolean {
  try {
    unlinkSync(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw error;
  }
}

/**
 * Creates `path` and any missing parent. Each directory created gets `mode`
 * (0755, Dokku's for data and property dirs) and, when we run as root, the
 * Dokku user and group, as Dokku's MkdirAll + SetPermissions do.
 */
export function ensureDir(path: string, mode = 0o755): void {
  const first = mkdirSync(path, { recursive: true, mode });
  if (first === undefined) return;
  let dir = first;
  setPermissions(dir, mode);
  for (const part of relative(first, path).split(sep).filter(Boolean)) {
    dir = join(dir, part);
    setPermissions(dir, mode);
  }
}

import { chmodSync, chownSync, fchownSync, readFileSync, statSync } from "node:fs";
import { idFromDatabase } from "../core/system-user.ts";

/**
 * The Dokku system user and group (`DOKKU_SYSTEM_USER`/`DOKKU_SYSTEM_GROUP`,
 * default `dokku`), as Dokku's SetPermissions resolves them. Every ps command
 * runs as that user; only the `install` trigger runs as root (from
 * `plugin:install` or install.sh), and whatever it creates must end up owned
 * by that user, as Dokku's own writes do, or every later command fails with
 * EACCES. Undefined when we are not root (nothing to hand over: files are
 * already ours) or when the user or group does not exist.
 */
export interface Owner {
  uid: number;
  gid: number;
}

let resolved: { owner: Owner | undefined } | undefined;

export function systemOwner(env: NodeJS.ProcessEnv = process.env): Owner | undefined {
  if (resolved) return resolved.owner;
  resolved = { owner: lookUp(env) };
  return resolved.owner;
}

function lookUp(env: NodeJS.ProcessEnv): Owner | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const uid = idFromDatabase(readFileSync("/etc/passwd", "utf8"), env["DOKKU_SYSTEM_USER"] || "dokku");
    const gid = idFromDatabase(readFileSync("/etc/group", "utf8"), env["DOKKU_SYSTEM_GROUP"] || "dokku");
    return uid === undefined || gid === undefined ? undefined : { uid, gid };
  } catch {
    return undefined;
  }
}

/**
 * Hands a just-created file (open descriptor) to the Dokku user, or to
 * `keep` (the owner of the file it replaces), when running as root.
 */
export function ownDescriptor(fd: number, keep?: Owner): void {
  const owner = systemOwner();
  if (!owner) return;
  const to = keep ?? owner;
  fchownSync(fd, to.uid, to.gid);
}

/**
 * Dokku's SetPermissions: `mode`, and the Dokku user and group when running
 * as root. Touches nothing that is already right, so a non-root caller on
 * an entry it does not own only fails when a change is really needed.
 */
export function setPermissions(path: string, mode: number): void {
  const st = statSync(path);
  if ((st.mode & 0o7777) !== mode) chmodSync(path, mode);
  const owner = systemOwner();
  if (owner && (st.uid !== owner.uid || st.gid !== owner.gid)) chownSync(path, owner.uid, owner.gid);
}

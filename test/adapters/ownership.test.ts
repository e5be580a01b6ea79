/**
 * What dokku-ps writes while running as root (the `install` trigger) belongs
 * to the Dokku user and group with Dokku's modes, whatever the umask; as any
 * other user, files are simply the caller's. Runs as root in CI (.ci/run).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ensureDir, writeFileAtomic } from "../../src/adapters/files.ts";
import { systemOwner } from "../../src/adapters/system-user.ts";
import { idFromDatabase } from "../../src/core/system-user.ts";
import { createContext } from "../../src/services/context.ts";
import { install, listDataDirs } from "../../src/triggers/lifecycle.ts";
import { tempDir } from "../temp.ts";

const root = process.getuid?.() === 0;
const dokkuUid = idFromDatabase(readFileSync("/etc/passwd", "utf8"), "dokku");
const dokkuGid = idFromDatabase(readFileSync("/etc/group", "utf8"), "dokku");
const expected = root && dokkuUid !== undefined && dokkuGid !== undefined ? { uid: dokkuUid, gid: dokkuGid } : { uid: process.getuid?.(), gid: process.getgid?.() };

function owner(path: string) {
  const st = statSync(path);
  return { uid: st.uid, gid: st.gid };
}

test("systemOwner: the Dokku user when root and it exists, else nobody to hand over to", () => {
  assert.deepEqual(systemOwner(), root && dokkuUid !== undefined && dokkuGid !== undefined ? expected : undefined);
});

test("ensureDir and writeFileAtomic: Dokku's owner and modes, even under umask 077", () => {
  const old = process.umask(0o077);
  try {
    const base = tempDir("ps-own-");
    const before = owner(base);
    ensureDir(join(base, "a", "b", "c"));
    assert.deepEqual(owner(base), before, "an existing parent is left alone");
    for (const dir of ["a", "a/b", "a/b/c"]) {
      assert.deepEqual(owner(join(base, dir)), expected, dir);
      assert.equal(statSync(join(base, dir)).mode & 0o777, 0o755, dir);
    }
    writeFileAtomic(join(base, "a", "restart-policy"), "always", 0o600);
    writeFileAtomic(join(base, "a", "Procfile"), "web: x\n", 0o644);
    assert.deepEqual(owner(join(base, "a", "restart-policy")), expected);
    assert.equal(statSync(join(base, "a", "restart-policy")).mode & 0o777, 0o600);
    assert.equal(statSync(join(base, "a", "Procfile")).mode & 0o777, 0o644);
  } finally {
    process.umask(old);
  }
});

test("install: data/ps entries that are not app dirs (ps:retire's lock) are left alone", () => {
  const base = tempDir("ps-install-");
  const env = { DOKKU_ROOT: join(base, "home"), DOKKU_LIB_ROOT: join(base, "lib") };
  mkdirSync(join(base, "home"));
  mkdirSync(join(base, "lib", "data", "ps", "app1", "validated"), { recursive: true });
  writeFileSync(join(base, "lib", "data", "ps", "retire"), "");
  const ctx = createContext(env);
  assert.deepEqual(listDataDirs(ctx), ["app1"]);
  install(ctx);
  assert.equal(readFileSync(join(base, "lib", "data", "ps", "retire"), "utf8"), "");
  assert.ok(statSync(join(base, "lib", "data", "ps", "retire")).isFile());
  assert.throws(() => statSync(join(base, "lib", "data", "ps", "app1", "validated")), /ENOENT/);
  assert.deepEqual(owner(join(base, "lib", "config", "ps")), expected);
  assert.deepEqual(owner(join(base, "lib", "data", "ps")), expected);
});

test("install repairs ps properties an earlier install left root's (fb44ff7 on real Dokku)", () => {
  const base = tempDir("ps-repair-");
  const env = { DOKKU_ROOT: join(base, "home"), DOKKU_LIB_ROOT: join(base, "lib") };
  mkdirSync(join(base, "home"));
  const props = join(base, "lib", "config", "ps", "rdweb");
  mkdirSync(props, { recursive: true });
  writeFileSync(join(props, "restart-policy"), "unless-stopped", { mode: 0o600 });
  install(createContext(env));
  assert.deepEqual(owner(props), expected);
  assert.deepEqual(owner(join(props, "restart-policy")), expected);
  assert.equal(statSync(join(props, "restart-policy")).mode & 0o777, 0o600);
  assert.equal(readFileSync(join(props, "restart-policy"), "utf8"), "unless-stopped");
});

/**
 * install.sh checks the host's Dokku release (issue 15): `$DOKKU_LIB_ROOT/VERSION`
 * must be one dokku-ps supports (src/core/dokku-version.ts); on any other, or
 * with no VERSION at all, it prints one line naming what it found and the
 * supported range, exits 1 and changes nothing (the whole host tree hashes
 * the same before and after). host/ writes `v0.24.10` there on first use.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execa } from "execa";
import { chmodSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DOKKU, Host, REPO, cleanEnv } from "./harness.ts";
import { treeHash } from "./state.ts";
import { tempDir } from "../temp.ts";
import { isSupportedDokku, parseDokkuVersion, supportedRange } from "../../src/core/dokku-version.ts";

const INSTALL = join(REPO, "install.sh");
/** Releases outside the list. */
const UNSUPPORTED = ["v0.29.4", "v0.39.0", "v0.23.9", "v1.0.0"].filter((v) => !isSupportedDokku(parseDokkuVersion(v)!));

/** A new host tree as host/ lays it out on first use, nothing installed. */
async function bareHost(): Promise<{ root: string; env: Record<string, string> }> {
  const root = tempDir("dokku-ps-ver-");
  chmodSync(root, 0o755);
  const env = cleanEnv({ DOKKU_ROOT: join(root, "home"), DOKKU_LIB_ROOT: join(root, "lib"), PATH: `${join(REPO, "host", "bin")}:${process.env["PATH"]}` });
  const init = await execa(DOKKU, ["version"], { env, extendEnv: false, reject: false, stdin: "ignore" });
  assert.equal(init.exitCode, 0, String(init.stderr));
  return { root, env };
}

async function installSh(env: Record<string, string>, args: string[] = []) {
  const r = await execa(INSTALL, args, { env, extendEnv: false, reject: false, stdin: "ignore" });
  return { code: r.exitCode ?? 1, stdout: String(r.stdout), stderr: String(r.stderr) };
}

describe("host/ and VERSION", () => {
  test("a new host has VERSION v0.24.10 (STABLE_VERSION 0.24.10) and `dokku version` prints as Dokku's dokku_version", async () => {
    const { root, env } = await bareHost();
    assert.equal(readFileSync(join(root, "lib", "VERSION"), "utf8"), "v0.24.10\n");
    assert.equal(readFileSync(join(root, "lib", "STABLE_VERSION"), "utf8"), "0.24.10\n");
    const v = await execa(DOKKU, ["version"], { env, extendEnv: false, reject: false, stdin: "ignore" });
    assert.equal(v.stdout, "dokku version 0.24.10", "real 0.24.10 printed this (shared/real-dokku-0.31.5/transcripts/upgrade-before.log)");
    // STABLE_VERSION wins when present; without it, VERSION as written.
    rmSync(join(root, "lib", "STABLE_VERSION"));
    assert.equal((await execa(DOKKU, ["version"], { env, extendEnv: false, stdin: "ignore" })).stdout, "dokku version v0.24.10");
    writeFileSync(join(root, "lib", "VERSION"), "v0.31.5\n");
    writeFileSync(join(root, "lib", "STABLE_VERSION"), "0.31.5\n");
    assert.equal((await execa(DOKKU, ["--version"], { env, extendEnv: false, stdin: "ignore" })).stdout, "dokku version 0.31.5");
    assert.equal(readFileSync(join(root, "lib", "VERSION"), "utf8"), "v0.31.5\n");
  });
});

describe("install.sh on an unsupported or unknown Dokku", () => {
  test("an unsupported release: one line naming it and the range, exit 1, nothing changed", async () => {
    assert.ok(UNSUPPORTED.length > 0);
    for (const version of UNSUPPORTED) {
      const { root, env } = await bareHost();
      writeFileSync(join(root, "lib", "VERSION"), `${version}\n`);
      const before = treeHash(root);
      const r = await installSh(env);
      assert.equal(r.code, 1, version);
      assert.equal(r.stdout, "", version);
      assert.equal(r.stderr, ` !     dokku-ps supports Dokku ${supportedRange()}; this host runs ${version.slice(1)}`);
      assert.equal(treeHash(root), before, `${version}: the host tree is unchanged`);
    }
  });

  test("no VERSION file (not a Dokku host, or the wrong DOKKU_LIB_ROOT): refused the same way", async () => {
    const { root, env } = await bareHost();
    rmSync(join(root, "lib", "VERSION"));
    const before = treeHash(root);
    const r = await installSh(env);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, ` !     dokku-ps supports Dokku ${supportedRange()}; this host has no ${join(root, "lib", "VERSION")} (is Dokku installed with DOKKU_LIB_ROOT there?)`);
    assert.equal(treeHash(root), before);
  });
});

describe("an installed dokku-ps after Dokku moved to an unsupported release", () => {
  let host: Host;
  before(async () => {
    host = await Host.create();
  });
  after(async () => {
    await host?.destroy();
  });

  test("install.sh again is refused and leaves the installed plugin and data as they are; back on the host's own release it runs", async () => {
    const version = UNSUPPORTED[0] as string;
    writeFileSync(join(host.lib, "VERSION"), `${version}\n`);
    const before = treeHash(host.root);
    const r = await installSh(host.env());
    assert.equal(r.code, 1);
    assert.equal(r.stderr, ` !     dokku-ps supports Dokku ${supportedRange()}; this host runs ${version.slice(1)}`);
    assert.equal(treeHash(host.root), before);
    writeFileSync(join(host.lib, "VERSION"), `v${host.version}\n`);
    const again = await installSh(host.env());
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /dokku-ps installed in /);
  });
});

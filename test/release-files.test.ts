/**
 * What the release ships (issue 15) agrees with the package: plugin.toml's
 * version is the package's (the plugin's own version, shown by plugin:list;
 * not Dokku's, which is `$DOKKU_LIB_ROOT/VERSION`), the licence is the one
 * package.json names, and release/ output is never committed. The .deb
 * (issue 22): its Depends on dokku is the supported series, its scripts run
 * install.sh, its trigger watches core ps's directory.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { execFileSync } from "node:child_process";
import { REPO } from "./source-scan.ts";

const pkg = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { version: string; license: string; scripts: Record<string, string> };

test("plugin.toml's version is package.json's", () => {
  const toml = readFileSync(join(REPO, "plugin.toml"), "utf8");
  assert.deepEqual(toml.match(/^version = "([^"]*)"$/gm), [`version = "${pkg.version}"`]);
  assert.notEqual(pkg.version, "0.24.10", "the plugin's version, not Dokku's");
});

test("LICENSE is the licence package.json names; release/ is ignored; npm run release exists", () => {
  assert.equal(pkg.license, "MIT");
  assert.match(readFileSync(join(REPO, "LICENSE"), "utf8"), /^MIT License\n\nCopyright \(c\) \d{4} /);
  assert.ok(readFileSync(join(REPO, ".gitignore"), "utf8").split("\n").includes("release/"));
  assert.match(pkg.scripts["release"] ?? "", /build.*scripts\/release\.mjs/);
});

test("the .deb's dokku relation is exactly the supported series (dpkg --compare-versions), and the list release.mjs reads is dokku-version.ts's", async () => {
  const { dokkuDepends, seriesFromSource } = (await import(new URL("../scripts/deb-depends.mjs", import.meta.url).href)) as {
    dokkuDepends: (series: readonly string[]) => string;
    seriesFromSource: (text: string) => string[];
  };
  const { SUPPORTED_DOKKU_SERIES, isSupportedDokku, parseDokkuVersion } = await import("../src/core/dokku-version.ts");
  assert.deepEqual(seriesFromSource(readFileSync(join(REPO, "src", "core", "dokku-version.ts"), "utf8")), [...SUPPORTED_DOKKU_SERIES]);
  const depends = dokkuDepends(SUPPORTED_DOKKU_SERIES);
  assert.equal(depends, "dokku (>= 0.24.0), dokku (<< 0.25.0) | dokku (>= 0.30.0), dokku (<< 0.39.0)");
  // Does a Dokku package of version v satisfy the relation? Each (op, version) asked of dpkg itself.
  const satisfies = (v: string) =>
    depends.split(", ").every((alternatives) =>
      alternatives.split(" | ").some((rel) => {
        const [, op, bound] = /^dokku \((>=|<<) ([^)]+)\)$/.exec(rel)!;
        const opName = op === ">=" ? "ge" : "lt";
        try {
          execFileSync("dpkg", ["--compare-versions", v, opName, bound!]);
          return true;
        } catch {
          return false;
        }
      }),
    );
  for (const v of ["0.23.9", "0.24.0", "0.24.10", "0.25.0", "0.29.5", "0.30.0", "0.31.5", "0.35.20", "0.38.27", "0.38.99", "0.39.0", "0.40.1", "1.0.0"]) {
    assert.equal(satisfies(v), isSupportedDokku(parseDokkuVersion(v)!), v);
  }
});

test("the .deb's maintainer scripts run the shipped install.sh, and its trigger watches core ps's directory", () => {
  const dir = join(REPO, "packaging", "deb");
  const postinst = readFileSync(join(dir, "postinst"), "utf8");
  assert.match(postinst, /^ {2}configure \| triggered \| abort-remove \| abort-deconfigure\)\n[\s\S]*?\n {4}\/usr\/share\/dokku-ps\/install\.sh\n {4};;/m);
  assert.match(readFileSync(join(dir, "prerm"), "utf8"), /^ {2}remove \| deconfigure\)\n[\s\S]*?\/usr\/share\/dokku-ps\/install\.sh --uninstall\n/m);
  assert.match(readFileSync(join(dir, "prerm"), "utf8"), /^ {2}upgrade \| failed-upgrade\) ;;$/m);
  assert.match(readFileSync(join(dir, "postrm"), "utf8"), /^ {2}purge\)\n/m);
  for (const script of ["postinst", "prerm", "postrm"]) {
    const text = readFileSync(join(dir, script), "utf8");
    assert.match(text, /^#!\/bin\/bash\n[\s\S]*^set -eo pipefail$/m, script);
    execFileSync("bash", ["-n", join(dir, script)]);
  }
  const triggers = readFileSync(join(dir, "triggers"), "utf8").split("\n").filter((l) => l && !l.startsWith("#"));
  assert.deepEqual(triggers, ["interest-noawait /var/lib/dokku/core-plugins/available/ps"]);
});

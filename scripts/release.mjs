// npm run release: builds dist/ and writes release/dokku-ps-<version>.tar.gz
// (version from package.json), what an operator unpacks on a Dokku host and
// installs with `sudo ./install.sh` — Node.js on the PATH is all it needs:
//
//   dokku-ps-<version>/
//     install.sh  README.md  LICENSE  plugin.toml (version = <version>)  REVISION
//     commands    subcommands/<name>    triggers/<name>
//     dist/ps.cjs  dist/main.cjs  dist/vendor/*.cjs  dist/fast-paths.sh   (the bundle: no node_modules)
//
// and release/dokku-ps_<version>_all.deb, the same files for apt (issue 22):
//
//   /usr/share/dokku-ps/        install.sh plugin.toml REVISION commands subcommands/ triggers/ dist/
//   /usr/share/doc/dokku-ps/    README.md.gz copyright changelog.gz
//   DEBIAN/                     control (Depends: the Dokku versions dokku-ps supports, nodejs (>= 18)),
//                               postinst prerm postrm triggers (packaging/deb/), md5sums
//
// built with Debian's dpkg-deb (no npm package): its maintainer scripts run
// /usr/share/dokku-ps/install.sh, and its dpkg trigger runs it again after
// every Dokku package upgrade (packaging/deb/triggers; docs/architecture.md).
//
// `node scripts/release.mjs [--out <dir>] [--version <x.y.z>]` packs the dist/
// already built (the release tests write into a temp dir of their own;
// --version stands in for package.json's, for a test's upgrade of the .deb).
//
// No sources, no tests, no node_modules. The archive is reproducible for a
// given commit: sorted names, owner root:root, mtime the commit's time.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { dokkuDepends, seriesFromSource } from "./deb-depends.mjs";

const REPO = resolve(fileURLToPath(new URL("..", import.meta.url)));
const argValue = (flag) => {
  const i = process.argv.indexOf(flag);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const version = argValue("--version") ?? JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")).version;
if (!/^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/.test(version)) throw new Error(`package.json version ${JSON.stringify(version)} is not x.y.z`);

const git = (...args) => {
  try {
    return execFileSync("git", ["-C", REPO, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return "";
  }
};
const commit = git("rev-parse", "HEAD") || "unknown";
const dirty = git("status", "--porcelain", "--untracked-files=no") !== "";
const mtime = git("log", "-1", "--format=%ct") || String(Math.floor(Date.now() / 1000));

const name = `dokku-ps-${version}`;
// The .deb's Maintainer and changelog signature (lintian wants a routable mail domain).
const MAINTAINER = "dokku-ps developers <dokku-ps@users.noreply.github.com>";
const stage = mkdtempSync(join(tmpdir(), "dokku-ps-release-"));
try {
  const top = join(stage, name);
  mkdirSync(top);
  const copy = (from, to = from) => cpSync(join(REPO, from), join(top, to), { recursive: true, dereference: true });
  if (!existsSync(join(REPO, "dist", "ps.cjs"))) throw new Error("dist/ps.cjs is missing: npm run build first");
  for (const entry of ["dist", "subcommands", "triggers", "commands", "install.sh", "README.md", "LICENSE"]) copy(entry);
  // The plugin's own version (plugn list, plugin:list), not Dokku's.
  const toml = readFileSync(join(REPO, "plugin.toml"), "utf8");
  if (!/^version = "[^"]*"$/m.test(toml)) throw new Error("plugin.toml has no version line");
  writeFileSync(join(top, "plugin.toml"), toml.replace(/^version = "[^"]*"$/m, `version = "${version}"`));
  // What install.sh records in the installed plugin's .dokku-ps marker.
  writeFileSync(join(top, "REVISION"), `${version} ${commit}${dirty ? " (uncommitted changes)" : ""}\n`);
  // Modes as install.sh expects them: executables 0755, the rest 0644.
  const normalise = (path) => {
    const st = statSync(path);
    if (st.isDirectory()) {
      chmodSync(path, 0o755);
      for (const child of readdirSync(path)) normalise(join(path, child));
    } else chmodSync(path, st.mode & 0o111 || /[\\/]dist[\\/]shims[\\/]/.test(path) ? 0o755 : 0o644);
  };
  // (dist/shims/*: the scripts install.sh installs as each trigger, 0755.)
  normalise(top);

  const outDir = argValue("--out") ? resolve(argValue("--out")) : join(REPO, "release");
  mkdirSync(outDir, { recursive: true });
  const out = join(outDir, `${name}.tar.gz`);
  rmSync(out, { force: true });
  const tar = execFileSync("tar", ["--sort=name", "--owner=0", "--group=0", "--numeric-owner", `--mtime=@${mtime}`, "-cf", "-", "-C", stage, name], {
    maxBuffer: 1 << 30,
  });
  // zlib's gzip header carries no name and no time: the same bytes for the same tree.
  writeFileSync(out, gzipSync(tar, { level: 9 }));
  console.log(`${out} (${commit.slice(0, 12)}${dirty ? ", uncommitted changes" : ""})`);

  const deb = buildDeb(top, join(stage, "deb"), outDir);
  console.log(`${deb} (${commit.slice(0, 12)}${dirty ? ", uncommitted changes" : ""})`);
} finally {
  rmSync(stage, { recursive: true, force: true });
}

/**
 * release/dokku-ps_<version>_all.deb from the unpacked release `top`, laid
 * out under `root` (a fresh dir). Owner root:root, every mtime the commit's
 * (and SOURCE_DATE_EPOCH for dpkg-deb's own times): the same bytes for the
 * same commit.
 */
function buildDeb(top, root, outDir) {
  const share = join(root, "usr", "share", "dokku-ps");
  const doc = join(root, "usr", "share", "doc", "dokku-ps");
  const debian = join(root, "DEBIAN");
  mkdirSync(share, { recursive: true });
  mkdirSync(doc, { recursive: true });
  mkdirSync(debian);
  for (const entry of readdirSync(top)) {
    if (entry === "README.md" || entry === "LICENSE") continue;
    cpSync(join(top, entry), join(share, entry), { recursive: true });
  }
  const gz = (text) => gzipSync(Buffer.from(text), { level: 9 });
  writeFileSync(join(doc, "README.md.gz"), gz(readFileSync(join(top, "README.md"))));
  // copyright: the packaging header, then LICENSE as a DEP-5 licence paragraph.
  const license = readFileSync(join(top, "LICENSE"), "utf8").trimEnd().split("\n");
  const holder = license.find((l) => l.startsWith("Copyright (c) "))?.replace("Copyright (c) ", "");
  const body = license.slice(license.findIndex((l) => l.startsWith("Permission"))).map((l) => (l === "" ? " ." : ` ${l}`));
  writeFileSync(
    join(doc, "copyright"),
    `${readFileSync(join(REPO, "packaging", "deb", "copyright.head"), "utf8")}Copyright: ${holder}\nLicense: MIT\n\nLicense: MIT\n${body.join("\n")}\n`,
  );
  const date = new Date(Number(mtime) * 1000).toUTCString().replace("GMT", "+0000");
  writeFileSync(
    join(doc, "changelog.gz"),
    gz(`dokku-ps (${version}) unstable; urgency=medium\n\n  * Release ${version} (${commit}).\n\n -- ${MAINTAINER}  ${date}\n`),
  );
  for (const script of ["postinst", "prerm", "postrm"]) {
    writeFileSync(join(debian, script), readFileSync(join(REPO, "packaging", "deb", script)), { mode: 0o755 });
  }
  writeFileSync(join(debian, "triggers"), readFileSync(join(REPO, "packaging", "deb", "triggers")), { mode: 0o644 });

  // Modes (0755 dirs and executables, 0644 the rest), md5sums and the size.
  const files = [];
  let kib = 0;
  const walk = (dir, rel) => {
    chmodSync(dir, 0o755);
    kib += 1;
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const relPath = rel ? `${rel}/${name}` : name;
      if (relPath === "DEBIAN") continue;
      const st = lstatSync(path);
      if (st.isDirectory()) walk(path, relPath);
      else {
        chmodSync(path, st.mode & 0o111 ? 0o755 : 0o644);
        files.push(relPath);
        kib += Math.ceil(st.size / 1024);
      }
    }
  };
  walk(root, "");
  const md5 = files.map((f) => `${createHash("md5").update(readFileSync(join(root, f))).digest("hex")}  ${f}\n`).join("");
  writeFileSync(join(debian, "md5sums"), md5, { mode: 0o644 });
  const series = seriesFromSource(readFileSync(join(REPO, "src", "core", "dokku-version.ts"), "utf8"));
  writeFileSync(
    join(debian, "control"),
    [
      "Package: dokku-ps",
      `Version: ${version}`,
      "Architecture: all",
      `Maintainer: ${MAINTAINER}`,
      `Installed-Size: ${kib}`,
      `Depends: ${dokkuDepends(series)}, nodejs (>= 18)`,
      "Section: admin",
      "Priority: optional",
      "Description: Dokku's ps plugin (process management) in TypeScript",
      " dokku-ps replaces the ps plugin of the Dokku it is installed on (0.24.x,",
      " 0.30.x to 0.38.x): the formation of each app, restart policies, start,",
      " stop, restart, rebuild and restore, with the commands, triggers, files",
      " and messages of that Dokku, and the DOKKU_SCALE file of the app repo.",
      " .",
      " Installing the package installs the plugin over Dokku's core ps (kept",
      " aside); removing it puts core ps back. A Dokku package upgrade installs",
      " it again for the new Dokku version.",
      "",
    ].join("\n"),
    { mode: 0o644 },
  );
  const when = new Date(Number(mtime) * 1000);
  const touch = (path) => {
    utimesSync(path, when, when);
    if (lstatSync(path).isDirectory()) for (const name of readdirSync(path)) touch(join(path, name));
  };
  touch(root);

  const out = join(outDir, `dokku-ps_${version}_all.deb`);
  rmSync(out, { force: true });
  try {
    execFileSync("dpkg-deb", ["--root-owner-group", "-Zxz", "--build", root, out], {
      env: { ...process.env, SOURCE_DATE_EPOCH: mtime },
      stdio: ["ignore", "ignore", "inherit"],
    });
  } catch (error) {
    if (error.code === "ENOENT") throw new Error("dpkg-deb is not installed (Debian's dpkg): the .deb cannot be built");
    throw error;
  }
  return out;
}

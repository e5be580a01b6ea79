// npm run release: builds dist/ and writes release/dokku-ps-<version>.tar.gz
// (version from package.json), what an operator unpacks on a Dokku host and
// installs with `sudo ./install.sh` — Node.js on the PATH is all it needs:
//
//   dokku-ps-<version>/
//     install.sh  README.md  LICENSE  plugin.toml (version = <version>)  REVISION
//     commands    subcommands/<name>    triggers/<name>
//     dist/ps.cjs  dist/main.cjs  dist/vendor/*.cjs  dist/fast-paths.sh   (the bundle: no node_modules)
//
// `node scripts/release.mjs [--out <dir>]` packs the dist/ already built
// (the release test writes into a temp dir of its own).
//
// No sources, no tests, no node_modules. The archive is reproducible for a
// given commit: sorted names, owner root:root, mtime the commit's time.
import { execFileSync } from "node:child_process";
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const REPO = resolve(fileURLToPath(new URL("..", import.meta.url)));
const { version } = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8"));
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
    } else chmodSync(path, st.mode & 0o111 ? 0o755 : 0o644);
  };
  normalise(top);

  const outIndex = process.argv.indexOf("--out");
  const outDir = outIndex > 0 && process.argv[outIndex + 1] ? resolve(process.argv[outIndex + 1]) : join(REPO, "release");
  mkdirSync(outDir, { recursive: true });
  const out = join(outDir, `${name}.tar.gz`);
  rmSync(out, { force: true });
  const tar = execFileSync("tar", ["--sort=name", "--owner=0", "--group=0", "--numeric-owner", `--mtime=@${mtime}`, "-cf", "-", "-C", stage, name], {
    maxBuffer: 1 << 30,
  });
  // zlib's gzip header carries no name and no time: the same bytes for the same tree.
  writeFileSync(out, gzipSync(tar, { level: 9 }));
  console.log(`${out} (${commit.slice(0, 12)}${dirty ? ", uncommitted changes" : ""})`);
} finally {
  rmSync(stage, { recursive: true, force: true });
}

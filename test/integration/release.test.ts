/**
 * The release (issue 15): `npm run release`'s tarball, unpacked anywhere on a
 * Dokku host with only Node.js, installs a working plugin with its
 * install.sh. Here: the tarball is packed from the dist/ this run built
 * (scripts/release.mjs --out, into a temp dir: `npm run release` would
 * rebuild dist/ under the other tests' feet), unpacked into a private temp
 * dir, and its install.sh run on a fresh host/ tree with a PATH that holds
 * no node_modules and whose `npm`/`npx` only record that they were called.
 * The unpacked copy is then deleted, and a push of an app whose repo says
 * formation web=1 worker=2 (a DOKKU_SCALE on 0.24, ps:scale on 0.31.5) must
 * run 1 web and 2 worker containers.
 *
 * The .deb (issue 22) written beside it holds the same files in
 * /usr/share/dokku-ps (docs in /usr/share/doc/dokku-ps), nothing in a path of
 * the dokku package, and lintian reports nothing on it. Installing it with
 * apt: test/integration/deb.test.ts.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execa } from "execa";
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Host, REPO, countByType, deployedContainers, dockerfileApp, workTree } from "./harness.ts";
import { removeTempDir, tempDir } from "../temp.ts";

// What a host with only `nodejs` installed has on its PATH: no node_modules/.bin
// (npm test puts the repo's there), no NODE_PATH.
process.env["PATH"] = (process.env["PATH"] ?? "")
  .split(":")
  .filter((dir) => dir && !dir.includes("node_modules"))
  .join(":");
delete process.env["NODE_PATH"];

const { version } = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { version: string };
const NAME = `dokku-ps-${version}`;

let host: Host | undefined;
let tarball: string;
let deb: string;
/** First on every command's PATH: npm and npx that record a call and fail. */
let stubs: string;
let npmCalls: string;

before(async () => {
  const out = tempDir("dokku-ps-rel-");
  const r = await execa("node", [join(REPO, "scripts", "release.mjs"), "--out", out], { reject: false, cwd: REPO });
  assert.equal(r.exitCode, 0, String(r.stderr));
  tarball = join(out, `${NAME}.tar.gz`);
  assert.ok(existsSync(tarball), String(r.stdout));
  deb = join(out, `dokku-ps_${version}_all.deb`);
  assert.ok(existsSync(deb), String(r.stdout));
  stubs = tempDir("dokku-ps-nonpm-");
  chmodSync(stubs, 0o1777);
  npmCalls = join(stubs, "calls.log");
  writeFileSync(npmCalls, "");
  chmodSync(npmCalls, 0o666);
  for (const tool of ["npm", "npx"]) {
    writeFileSync(join(stubs, tool), `#!/bin/sh\necho "${tool} $*" >>"${npmCalls}"\nexit 127\n`, { mode: 0o755 });
  }
});

after(async () => {
  await host?.destroy();
});

test("the tarball holds the bundle, shims, commands, plugin.toml (the package's version), install.sh, README and LICENSE, and nothing else", async () => {
  const list = (await execa("tar", ["-tzf", tarball])).stdout.split("\n").filter(Boolean).sort();
  const top = new Set(list.map((p) => p.split("/")[1]).filter(Boolean));
  assert.deepEqual([...top].sort(), ["LICENSE", "README.md", "REVISION", "commands", "dist", "install.sh", "plugin.toml", "subcommands", "triggers"]);
  assert.ok(list.every((p) => p.startsWith(`${NAME}/`)), "one top dir, named with the version");
  for (const must of ["dist/ps.cjs", "dist/fast-paths.sh", "dist/vendor/dockerode.cjs", "subcommands/scale", "triggers/pre-deploy", "triggers/install"]) {
    assert.ok(list.includes(`${NAME}/${must}`), must);
  }
  assert.deepEqual(list.filter((p) => /node_modules|\/src\/|\/test\/|\.ts$|package(-lock)?\.json$/.test(p)), []);
  const read = async (file: string) => (await execa("tar", ["-xzOf", tarball, `${NAME}/${file}`])).stdout;
  assert.match(await read("plugin.toml"), new RegExp(`^version = "${version.replace(/\./g, "\\.")}"$`, "m"));
  assert.match(await read("LICENSE"), /^MIT License/);
  assert.match(await read("REVISION"), new RegExp(`^${version.replace(/\./g, "\\.")} [0-9a-f]{40}`));
});

test("unpacked anywhere, its install.sh installs a plugin that needs only node: a formation web=1 worker=2 gives 1 web + 2 workers", async () => {
  const unpacked = tempDir("dokku-ps-unpack-");
  const untar = await execa("tar", ["-xzf", tarball, "-C", unpacked], { reject: false });
  assert.equal(untar.exitCode, 0, String(untar.stderr));
  const installer = join(unpacked, NAME, "install.sh");
  host = await Host.create({ installer, binDir: stubs });
  const plugin = join(host.lib, "plugins", "available", "ps");
  assert.equal(readFileSync(join(plugin, ".dokku-ps"), "utf8"), readFileSync(join(unpacked, NAME, "REVISION"), "utf8"), "installed from the release");
  assert.ok(!existsSync(join(plugin, "node_modules")));
  // Nothing of the unpacked copy (nor of the repo) is needed from here on.
  removeTempDir(unpacked);

  const app = await host.createApp("rel");
  // 0.24: a DOKKU_SCALE in the repo; 0.31.5 ignores that, ps:scale --skip-deploy first.
  const files = await host.withFormation(app, dockerfileApp({ Procfile: "web: sleep 86400\nworker: sleep 86400\n" }), "web=1\nworker=2\n");
  const push = await host.push(app, await workTree(files));
  assert.equal(push.code, 0, push.stderr);
  assert.deepEqual(countByType(await deployedContainers(app)), { web: 1, worker: 2 });
  const report = await host.dokku("ps:report", app, "--ps-can-scale");
  assert.equal(report.code, 0, report.stderr);
  if (host.is024) assert.equal(report.stdout.trim(), "false", "the image's DOKKU_SCALE rules");
  else assert.equal(report.stdout.trim(), "true", "ps:scale set it: ps:scale rules");
  const list = await host.dokku("plugin:list");
  assert.match(list.stdout, new RegExp(`\\bps\\s+${version.replace(/\./g, "\\.")}\\s+enabled`), list.stdout);
  assert.equal(readFileSync(npmCalls, "utf8"), "", "npm and npx were never called");
});

test("the .deb holds the tarball's files in /usr/share/dokku-ps, depends on dokku and nodejs (>= 18), and lintian reports nothing", async () => {
  const tarList = (await execa("tar", ["-tzf", tarball])).stdout
    .split("\n")
    .filter((p) => p && !p.endsWith("/"))
    .map((p) => p.slice(NAME.length + 1))
    .filter((p) => p !== "README.md" && p !== "LICENSE")
    .sort();
  const debList = (await execa("dpkg-deb", ["--fsys-tarfile", deb]).pipe("tar", ["-t"])).stdout.split("\n").filter((p) => p && !p.endsWith("/"));
  assert.deepEqual(debList.filter((p) => !p.startsWith("./usr/share/dokku-ps/")).sort(), [
    "./usr/share/doc/dokku-ps/README.md.gz",
    "./usr/share/doc/dokku-ps/changelog.gz",
    "./usr/share/doc/dokku-ps/copyright",
  ]);
  assert.deepEqual(debList.filter((p) => p.startsWith("./usr/share/dokku-ps/")).map((p) => p.slice("./usr/share/dokku-ps/".length)).sort(), tarList);
  const field = async (name: string) => (await execa("dpkg-deb", ["-f", deb, name])).stdout;
  assert.equal(await field("Package"), "dokku-ps");
  assert.equal(await field("Version"), version);
  assert.equal(await field("Architecture"), "all");
  assert.equal(await field("Depends"), "dokku (>= 0.24.0), dokku (<< 0.25.0) | dokku (>= 0.30.0), dokku (<< 0.39.0), nodejs (>= 18)");
  const control = (await execa("dpkg-deb", ["-I", deb])).stdout;
  for (const script of ["postinst", "prerm", "postrm", "triggers", "md5sums"]) assert.match(control, new RegExp(`\\s${script}\\s`), script);
  const extracted = tempDir("dokku-ps-deb-ctl-");
  await execa("dpkg-deb", ["-e", deb, extracted]);
  assert.equal(readFileSync(join(extracted, "triggers"), "utf8"), readFileSync(join(REPO, "packaging", "deb", "triggers"), "utf8"));
  removeTempDir(extracted);
  // lintian leaves its MLDBM caches (mldbm-elf-*) in $TMPDIR: a dir of ours, removed after.
  const lintianTmp = tempDir("dokku-ps-lintian-");
  const lintian = await execa("lintian", [deb], { reject: false, env: { TMPDIR: lintianTmp } });
  removeTempDir(lintianTmp);
  assert.equal(lintian.exitCode, 0, `${lintian.stdout}${lintian.stderr}`);
  assert.equal(lintian.stdout.trim(), "", "no error, warning or info");
});

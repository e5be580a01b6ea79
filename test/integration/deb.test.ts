/**
 * Issue 22, must-show 4: the .deb installed, upgraded and removed with apt,
 * for real, in a throw-away Debian root of the test's own (never this
 * machine's dpkg database nor its /var/lib/dokku):
 *
 *   root     scripts/debian-root.sh's cached Debian 12 (debootstrap minbase +
 *            git, nodejs's packages in its apt cache), never written: each
 *            command runs in test/integration/in-debian-root.sh, an overlay
 *            of it with this test's own upper dir, in a mount and network
 *            namespace of its own (no network: apt takes Node.js from the
 *            cache), with the machine's Docker engine socket and CLI.
 *   dokku    a stand-in of Dokku's package (test/integration/
 *            standin-dokku-deb.sh): host/ laid out as the package lays Dokku
 *            out, core ps as files dpkg installs in
 *            /var/lib/dokku/core-plugins/available/ps; FROM (0.35.20) and TO
 *            (the newest host/versions/<v>: 0.38.27, as the issue asks;
 *            DOKKU_PS_DEB_FROM / DOKKU_PS_DEB_TO choose others).
 *
 * The walk: apt install of the stand-in dokku FROM; `apt install
 * ./dokku-ps_*.deb` failing in its postinst (Node.js came with it; core ps
 * stays; one line says why) then `dpkg --configure -a`; a push whose repo
 * commits DOKKU_SCALE web=1 worker=2; apt install of the next dokku-ps .deb
 * (state kept); apt install of the stand-in dokku TO, whose core ps files fire
 * dokku-ps's dpkg trigger (install.sh again: the plugin's triggers are TO's,
 * the formation and containers kept, and a push with DOKKU_SCALE web=1
 * worker=3 is applied, which on 0.35+ needs TO's post-release-builder); apt
 * remove (core ps back, formation kept, core ps answers it); apt purge
 * (dokku-ps's own files gone, the formation kept).
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { BASE_IMAGE, REPO, callerCwd, countByType, deployedContainers, requireEngine, run, type RunResult } from "./harness.ts";
import { tempDir } from "../temp.ts";

// This file concerns Dokku 0.35.20 only: its stand-in Dokku packages are 0.35.20 and the newest one (0.38.27), whatever the run's version.
export const CONCERNS_DOKKU = "0.35.20";

const newestHostVersion = (): string => {
  const versions = readdirSync(join(REPO, "host", "versions")).filter((v) => /^\d+\.\d+\.\d+$/.test(v));
  return versions.sort((a, b) => a.localeCompare(b, "en", { numeric: true })).at(-1)!;
};
const FROM = process.env["DOKKU_PS_DEB_FROM"] || CONCERNS_DOKKU;
const TO = process.env["DOKKU_PS_DEB_TO"] || newestHostVersion();

const { version } = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { version: string };
const NEXT = version.replace(/\d+$/, (patch) => String(Number(patch) + 1));
const ROOT = join(REPO, ".cache", "debian-root");
const IN_ROOT = join(REPO, "test", "integration", "in-debian-root.sh");
const APP = `debps${process.pid}`;

let dir: string;
const timings: string[] = [];

async function timed<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const start = Date.now();
  try {
    return await fn();
  } finally {
    timings.push(`${label}: ${((Date.now() - start) / 1000).toFixed(1)}s`);
  }
}

/** A bash script run as root in the throw-away root; stdout and stderr together in `out`. */
async function inRoot(script: string): Promise<RunResult & { out: string }> {
  const r = await execa("bash", [IN_ROOT, ROOT, dir, "bash", "-c", `set -o pipefail\n${script}`], { reject: false, stdin: "ignore", all: true, cwd: callerCwd() });
  return { code: r.exitCode ?? 1, stdout: String(r.stdout), stderr: String(r.stderr), out: String(r.all) };
}
async function ok(script: string): Promise<string> {
  const r = await inRoot(script);
  assert.equal(r.code, 0, `${script}\n${r.out}`);
  return r.stdout;
}
/** apt, quiet about progress, as an operator types it. */
const apt = (args: string) => `apt-get -q -y -o Dpkg::Use-Pty=0 ${args} 2>&1 | grep -v '^(Reading database'`;

/** What an app is made of, for before/after comparisons: its ps properties, ENV and deploy options, with owner and mode. */
const stateScript = `cd / && for f in /var/lib/dokku/config/ps/${APP}/* /home/dokku/${APP}/ENV /var/lib/dokku/config/${APP}/ENV /home/dokku/${APP}/DOCKER_OPTIONS_DEPLOY; do
  [[ -e "$f" ]] || continue; stat -c '%n %U:%G %a' "$f"; cat "$f"; echo; done`;
/** `<scale property>|<can-scale>`. */
const formationScript = `printf '%s|%s' "$(cat /var/lib/dokku/config/ps/${APP}/scale)" "$(cat /var/lib/dokku/config/ps/${APP}/can-scale)"`;
/** The plugin's trigger and command executables, and what the bundle says the host's Dokku needs. */
const pluginFilesScript = `cd /var/lib/dokku/plugins/available/ps && find . -maxdepth 1 -type f -perm -u+x -printf '%f\\n' | LC_ALL=C sort`;
const contractScript = `cd / && node /usr/share/dokku-ps/dist/ps.cjs contract triggers | cut -d' ' -f1 | LC_ALL=C sort`;

async function push(scale: string): Promise<RunResult & { out: string }> {
  return inRoot(`cd /root/app && printf '%s' '${scale}' >DOKKU_SCALE && git add -A && git commit -qm "scale ${scale.replace(/\n/g, " ")}" &&
    git -c protocol.ext.allow=always push -q "ext::dokku %S ${APP}" HEAD:master 2>&1`);
}
const running = async () =>
  (await deployedContainers(APP))
    .map((c) => `${c.name} ${c.id}`)
    .sort()
    .join("\n");

before(async () => {
  await requireEngine();
  const cache = await timed("cached Debian root (scripts/debian-root.sh; a no-op once built)", () => run("bash", [join(REPO, "scripts", "debian-root.sh")], { cwd: REPO }));
  assert.equal(cache.code, 0, cache.stderr);
  dir = tempDir("dokku-ps-deb-");
  const debs = join(dir, "upper", "srv", "debs");
  mkdirSync(debs, { recursive: true, mode: 0o755 });
  const out = tempDir("dokku-ps-deb-out-");
  await timed("dokku-ps .debs and stand-in dokku .debs built", async () => {
    for (const v of [version, NEXT]) {
      const r = await run("node", [join(REPO, "scripts", "release.mjs"), "--out", out, "--version", v], { cwd: REPO });
      assert.equal(r.code, 0, r.stderr);
      copyFileSync(join(out, `dokku-ps_${v}_all.deb`), join(debs, `dokku-ps_${v}_all.deb`));
    }
    for (const v of [FROM, TO]) {
      const r = await run("bash", [join(REPO, "test", "integration", "standin-dokku-deb.sh"), v, join(debs, `dokku_${v}_all.deb`)]);
      assert.equal(r.code, 0, r.stderr);
    }
  });
  // The engine's socket group, as the engine's own package makes it before Dokku's is installed.
  const gid = statSync((process.env["DOCKER_HOST"] ?? "").replace(/^unix:\/\//, "") || "/var/run/docker.sock").gid;
  await ok(`groupadd -o -g ${gid} docker`);
  const standin = await timed(`apt install ./dokku_${FROM}_all.deb (stand-in)`, () => inRoot(apt(`install /srv/debs/dokku_${FROM}_all.deb`)));
  assert.equal(standin.code, 0, standin.out);
  assert.equal((await ok("cat /var/lib/dokku/VERSION")).trim(), `v${FROM}`);
  assert.equal((await ok("readlink /var/lib/dokku/plugins/available/ps")).trim(), "/var/lib/dokku/core-plugins/available/ps", "core ps, as the package installs it");
  // As every test host (harness.ts Host.create): no checks wait, old containers retired at once.
  await ok(
    FROM === "0.24.10"
      ? "dokku config:set --global DOKKU_WAIT_TO_RETIRE=0 DOKKU_DEFAULT_CHECKS_WAIT=0"
      : "dokku config:set --global DOKKU_DEFAULT_CHECKS_WAIT=0 && dokku checks:set --global wait-to-retire 0",
  );
});

after(async () => {
  const ids = await run("docker", ["ps", "-aq", "--filter", `label=com.dokku.app-name=${APP}`]);
  const list = ids.stdout.split("\n").filter(Boolean);
  if (list.length) await run("docker", ["rm", "-f", ...list]);
  const images = await run("docker", ["images", "-q", `dokku/${APP}`]);
  const imgs = [...new Set(images.stdout.split("\n").filter(Boolean))];
  if (imgs.length) await run("docker", ["rmi", "-f", "--no-prune", ...imgs]);
  // The app's images a later push or release untagged (dangling, with the app's label), as the harness's destroy
  // (and --no-prune as there: scripts/sweep-build-images.sh removes the parents when the run ends).
  const dangling = await run("docker", ["images", "-q", "--filter", "dangling=true", "--filter", `label=com.dokku.app-name=${APP}`]);
  const left = [...new Set(dangling.stdout.split("\n").filter(Boolean))];
  if (left.length) await run("docker", ["rmi", "--no-prune", ...left]);
  process.stderr.write(`# deb.test.ts timings (${FROM} -> ${TO}):\n${timings.map((t) => `#   ${t}`).join("\n")}\n`);
});

test(`apt install ./dokku-ps_${version}_all.deb brings Node.js; a failed postinst leaves core ps in place and says why in one line; dpkg --configure -a installs it`, async () => {
  assert.equal((await inRoot("command -v node")).code, 1, "no Node.js in the root before");
  const failed = await timed("apt install ./dokku-ps.deb (postinst made to fail)", () =>
    inRoot(`export DOKKU_PS_INSTALL_TEST_FAIL=after-swap; ${apt(`install /srv/debs/dokku-ps_${version}_all.deb`)}`),
  );
  assert.notEqual(failed.code, 0, failed.out);
  assert.match(failed.out, /Setting up nodejs /, "Node.js came with the package");
  const why = failed.out.split("\n").filter((l) => l.startsWith(" !     "));
  assert.deepEqual(why, [" !     dokku-ps was not installed (enabling the plugin failed); the ps plugin that was there is left in place"], failed.out);
  assert.equal((await ok("readlink /var/lib/dokku/plugins/available/ps")).trim(), "/var/lib/dokku/core-plugins/available/ps", "core ps still");
  assert.equal((await ok("ls -A /var/lib/dokku/plugins")).trim(), "available\nenabled", "nothing kept aside, no stage left");
  assert.match(await ok("node --version"), /^v(1[89]|[2-9]\d)\./);
  assert.match(await ok("dpkg-query -W -f '${Status}' dokku-ps"), /half-configured/);

  const configured = await timed("dpkg --configure -a", () => inRoot("dpkg --configure -a 2>&1"));
  assert.equal(configured.code, 0, configured.out);
  assert.match(configured.out, /-----> Kept Dokku's core ps plugin aside in \/var\/lib\/dokku\/plugins\/\.dokku-ps-core-backup\n-----> dokku-ps installed in \/var\/lib\/dokku\/plugins\/available\/ps/);
  assert.equal(await ok("dpkg-query -W -f '${Status} ${Version}' dokku-ps"), `install ok installed ${version}`);
  assert.match(await ok("cat /var/lib/dokku/plugins/available/ps/.dokku-ps"), new RegExp(`^${version.replace(/\./g, "\\.")} [0-9a-f]{40}`));
  assert.equal((await ok("readlink /var/lib/dokku/plugins/.dokku-ps-core-backup")).trim(), "/var/lib/dokku/core-plugins/available/ps");
  assert.equal(await ok(pluginFilesScript + " | grep -vx commands"), await ok(contractScript), `the triggers of Dokku ${FROM}'s ps`);
});

test("a push whose repo commits DOKKU_SCALE web=1 worker=2 runs 1 web and 2 workers", async () => {
  await ok(`dokku apps:create ${APP} && dokku config:set --no-restart ${APP} 'SECRET=a b"c$d' PLAIN=x && dokku ps:set ${APP} restart-policy unless-stopped
    mkdir -p /root/app && cd /root/app && git init -q && git config user.email t@t && git config user.name t &&
    printf 'FROM ${BASE_IMAGE}\\nWORKDIR /app\\nCOPY . /app\\nCMD ["sleep", "86400"]\\n' >Dockerfile && printf 'web: sleep 86400\\nworker: sleep 86400\\n' >Procfile`);
  const pushed = await timed("push (DOKKU_SCALE web=1 worker=2)", () => push("web=1\nworker=2\n"));
  assert.equal(pushed.code, 0, pushed.out);
  assert.match(pushed.out, /Scaling \S+ from DOKKU_SCALE in the image: web=1 worker=2/);
  assert.deepEqual(countByType(await deployedContainers(APP)), { web: 1, worker: 2 });
  assert.equal(await ok(formationScript), "web=1\nworker=2|false");
});

test(`apt install ./dokku-ps_${NEXT}_all.deb (an upgrade of the .deb) keeps every app's state and containers`, async () => {
  const state = await ok(stateScript);
  const containers = await running();
  const upgraded = await timed(`apt install ./dokku-ps_${NEXT}_all.deb (upgrade)`, () => inRoot(apt(`install /srv/debs/dokku-ps_${NEXT}_all.deb`)));
  assert.equal(upgraded.code, 0, upgraded.out);
  assert.match(upgraded.out, /Unpacking dokku-ps \(\S+\) over \(\S+\)[\s\S]*-----> dokku-ps installed in/);
  assert.equal(await ok("dpkg-query -W -f '${Version}' dokku-ps"), NEXT);
  assert.match(await ok("cat /var/lib/dokku/plugins/available/ps/plugin.toml"), new RegExp(`^version = "${NEXT.replace(/\./g, "\\.")}"$`, "m"));
  assert.equal(await ok(stateScript), state);
  assert.equal(await running(), containers);
});

test(`a Dokku package upgrade ${FROM} -> ${TO} fires dokku-ps's dpkg trigger: installed again for ${TO}, formation and containers kept, DOKKU_SCALE still applied`, async () => {
  const formation = await ok(formationScript);
  const containers = await running();
  const before = await ok(pluginFilesScript);
  const upgraded = await timed(`apt install ./dokku_${TO}_all.deb (stand-in upgrade, trigger)`, () => inRoot(apt(`install /srv/debs/dokku_${TO}_all.deb`)));
  assert.equal(upgraded.code, 0, upgraded.out);
  // dokku is configured (its postinst: the upgrade) first, then dokku-ps's trigger runs install.sh.
  assert.match(upgraded.out, new RegExp(`Setting up dokku \\(${TO.replace(/\./g, "\\.")}\\)[\\s\\S]*Processing triggers for dokku-ps \\(${NEXT.replace(/\./g, "\\.")}\\)[\\s\\S]*-----> dokku-ps installed in /var/lib/dokku/plugins/available/ps`), upgraded.out);
  assert.equal((await ok("cat /var/lib/dokku/VERSION")).trim(), `v${TO}`);
  assert.equal(await ok("dpkg-query -W -f '${Status}' dokku-ps"), "install ok installed", "no trigger left pending");
  const after = await ok(pluginFilesScript);
  assert.equal(after.split("\n").filter((f) => f && f !== "commands").join("\n"), await ok(contractScript), `the triggers of Dokku ${TO}'s ps`);
  // The executables alone no longer tell the two installs apart (an install on
  // any supported Dokku also carries newer Dokku's ps triggers); the trigger's
  // install.sh is shown by its line after `Processing triggers` above.
  assert.ok(before.includes("core-post-deploy"), before);
  assert.equal(await ok(formationScript), formation);
  assert.equal(await running(), containers);

  const pushed = await timed("push (DOKKU_SCALE web=1 worker=3) after the upgrade", () => push("web=1\nworker=3\n"));
  assert.equal(pushed.code, 0, pushed.out);
  assert.match(pushed.out, /Scaling \S+ from DOKKU_SCALE in the image: web=1 worker=3/);
  assert.deepEqual(countByType(await deployedContainers(APP)), { web: 1, worker: 3 });
  assert.equal(await ok(formationScript), "web=1\nworker=3|false");
});

test("apt remove dokku-ps puts core ps back with every formation; apt purge removes only dokku-ps's own files", async () => {
  const formation = await ok(formationScript);
  const state = await ok(stateScript);
  const containers = await running();
  const removed = await timed("apt remove dokku-ps", () => inRoot(apt("remove dokku-ps")));
  assert.equal(removed.code, 0, removed.out);
  assert.match(removed.out, /-----> Restored Dokku's core ps plugin/);
  assert.equal((await ok("readlink /var/lib/dokku/plugins/available/ps")).trim(), "/var/lib/dokku/core-plugins/available/ps");
  assert.equal((await ok("ls -A /var/lib/dokku/plugins")).trim(), "available\nenabled");
  assert.equal((await inRoot("test -e /usr/share/dokku-ps")).code, 1);
  assert.match(await ok("dpkg-query -W -f '${Status}' dokku-ps"), /deinstall ok config-files/);
  assert.equal(await ok(stateScript), state);
  assert.equal(await running(), containers, "running containers untouched");
  // Core ps itself answers with the formation dokku-ps kept.
  const scale = await ok(`source /usr/share/dokku-standin/host/lib/dokku-env.bash && plugn trigger ps-current-scale ${APP}`);
  assert.deepEqual(scale.split(/\s+/).filter(Boolean).sort(), formation.split("|")[0]!.split("\n").sort());

  assert.equal((await inRoot(`test -f /var/lib/dokku/data/ps/${APP}/DOKKU_SCALE`)).code, 0, "dokku-ps's DOKKU_SCALE lock, before the purge");
  const purged = await timed("apt purge dokku-ps", () => inRoot(apt("purge dokku-ps")));
  assert.equal(purged.code, 0, purged.out);
  assert.equal((await inRoot("dpkg-query -W -f '${Status}' dokku-ps 2>/dev/null | grep -q installed")).code, 1, "dpkg knows it no more");
  assert.equal((await inRoot(`test -e /var/lib/dokku/data/ps/${APP}/DOKKU_SCALE`)).code, 1);
  assert.equal(await ok(stateScript), state, "formation, ENV and options kept");
  assert.equal((await ok("readlink /var/lib/dokku/plugins/available/ps")).trim(), "/var/lib/dokku/core-plugins/available/ps");
  assert.ok(existsSync(dir));
});

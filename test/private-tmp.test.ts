/**
 * Issue 15: `npm test` and `npm run bench` fail when they leave anything in
 * /tmp. They run under scripts/private-tmp.sh (a /tmp of their own in a
 * private mount namespace, checked empty afterwards); this checks that the
 * check can fail, on what root and the Dokku user leave, and that what other
 * processes put in the shared /tmp meanwhile is not counted.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { REPO } from "./source-scan.ts";

const WRAPPER = join(REPO, "scripts", "private-tmp.sh");
const run = (script: string, ...args: string[]) => execa("bash", [WRAPPER, "bash", "-c", script, "t", ...args], { reject: false, stdin: "ignore" });
const runDirs = () => readdirSync(tmpdir()).filter((n) => n.startsWith("dokku-ps-run."));

test("a command that leaves nothing in /tmp passes, with its own exit code", async () => {
  const before = runDirs();
  const ok = await run('d=$(mktemp -d /tmp/x.XXXXXX) && touch "$d/f" && rm -rf "$d"');
  assert.equal(ok.exitCode, 0, ok.stderr);
  assert.equal(ok.stderr, "");
  const failing = await run("exit 3");
  assert.equal(failing.exitCode, 3);
  assert.deepEqual(runDirs(), before, "the private dir itself is removed");
});

test("what root leaves in /tmp (a literal path, or under TMPDIR) fails the run, named", async () => {
  const literal = await run("mkdir /tmp/dokku-ps-src-left && touch /tmp/dokku-ps-src-left/a");
  assert.equal(literal.exitCode, 1);
  assert.match(literal.stderr, /^ ! {5}left in \/tmp by this run \(1\):\n {9}\/tmp\/dokku-ps-src-left \(2 entries, owner root\)$/);
  const viaTmpdir = await run('mktemp -d -t dokku-ps-it-XXXXXX >/dev/null; node -e \'require("fs").mkdtempSync(require("os").tmpdir() + "/dokku-ps-mods-")\'');
  assert.equal(viaTmpdir.exitCode, 1);
  assert.match(viaTmpdir.stderr, /\(2\):\n {9}\/tmp\/dokku-ps-it-\w+ .*\n {9}\/tmp\/dokku-ps-mods-\w+ /);
  // A failing command keeps its own exit code.
  const both = await run("touch /tmp/x; exit 4");
  assert.equal(both.exitCode, 4);
  assert.match(both.stderr, /\/tmp\/x /);
});

test("what the Dokku user leaves in /tmp (TMPDIR unset, as bin/dokku re-execs) fails the run", { skip: process.getuid?.() !== 0 ? "needs root" : false }, async () => {
  const r = await run('env -u TMPDIR setpriv --reuid=dokku --regid=dokku --init-groups bash -c "mktemp -d /tmp/dokku-1-git_build_app_repo.XXXXXX >/dev/null"');
  assert.equal(r.exitCode, 1, r.stderr);
  assert.match(r.stderr, /\/tmp\/dokku-1-git_build_app_repo\.\w+ \(1 entries, owner dokku\)/);
});

test("what other processes put in the shared /tmp meanwhile is not counted", { skip: process.getuid?.() !== 0 ? "needs a mount namespace (root)" : false }, async () => {
  const theirs = join(tmpdir(), `dokku-ps-src-others-${process.pid}`);
  const child = run("sleep 1; ls /tmp");
  await new Promise((res) => setTimeout(res, 300));
  writeFileSync(theirs, "another run's leftover");
  try {
    const r = await child;
    assert.equal(r.exitCode, 0, r.stderr);
    assert.doesNotMatch(String(r.stdout), /others/, "the run does not even see it");
    assert.ok(existsSync(theirs), "and leaves it alone");
  } finally {
    rmSync(theirs, { force: true });
  }
});

test("a checkout under /tmp stays where it is inside the run, and its mount point is no leftover", { skip: process.getuid?.() !== 0 ? "needs a mount namespace (root)" : false }, async () => {
  // A clone in /tmp, as `git clone … /tmp/fresh` makes one: the wrapper's own repo dir.
  const top = join(tmpdir(), `dokku-ps-clone-${process.pid}`);
  const repo = join(top, "fresh");
  try {
    mkdirSync(join(repo, "scripts"), { recursive: true });
    copyFileSync(WRAPPER, join(repo, "scripts", "private-tmp.sh"));
    writeFileSync(join(repo, "marker"), "the checkout\n");
    const inside = (script: string) => execa("bash", [join(repo, "scripts", "private-tmp.sh"), "bash", "-c", script], { reject: false, stdin: "ignore" });
    const r = await inside(`cat ${repo}/marker && ls -A /tmp && touch ${repo}/written`);
    assert.equal(r.exitCode, 0, r.stderr);
    assert.equal(r.stdout, `the checkout\n${top.slice("/tmp/".length)}`, "the checkout readable at its path; nothing else in the private /tmp");
    assert.equal(r.stderr, "");
    assert.ok(existsSync(join(repo, "written")), "written into the checkout itself");
    // Something left beside the checkout inside the run is still a leftover.
    const left = await inside(`touch ${top}/beside`);
    assert.equal(left.exitCode, 1);
    assert.match(left.stderr, new RegExp(`/tmp/${top.slice("/tmp/".length)} \\(\\d+ entries, owner root\\)`));
    assert.ok(!existsSync(join(top, "beside")), "and it was in the run's /tmp, not beside the real checkout");
  } finally {
    rmSync(top, { recursive: true, force: true });
  }
});

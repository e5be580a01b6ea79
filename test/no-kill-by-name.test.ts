/**
 * Issue 15: tests, the bench and scripts touch only what they started. A
 * process is stopped by the pid its starter kept (or waited for), never
 * looked up by name or command line: on a shared machine a name also
 * matches other people's processes (another engineer's dockerd, test run or
 * retire job). This scans every text file of the repo (sources, tests,
 * fixtures, scripts, host/, install.sh, CI) for the tools that find
 * processes by name — pkill, killall, pgrep, pidof — in any form (shell
 * lines, argv arrays, comments alike) and fails on any.
 *
 * The scanner is tested on bad and good snippets first, so the scan of the
 * real tree is known to be able to fail.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { lstatSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

import { REPO } from "./source-scan.ts";

// Spelled in pieces so this file does not match itself.
const TOOLS = ["p" + "kill", "kill" + "all", "p" + "grep", "pid" + "of"];
const BY_NAME = new RegExp(`(?<![\\w-])(?:${TOOLS.join("|")})(?![\\w-])`);

/** Lines (1-based) of `text` that name a find-by-name process tool. */
export function scanText(text: string): number[] {
  return text.split("\n").flatMap((line, i) => (BY_NAME.test(line) ? [i + 1] : []));
}

/** What is not the repo's own text: dependencies, build output, VCS data. */
const SKIP = new Set(["node_modules", ".git", "dist", "release", ".cache", ".host"]);

/** Every regular file under `dir` (symlinks not followed), skipping SKIP. */
function repoFiles(dir: string): string[] {
  const files: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (SKIP.has(name)) continue;
    const path = join(dir, name);
    const st = lstatSync(path);
    if (st.isDirectory()) files.push(...repoFiles(path));
    else if (st.isFile()) files.push(path);
  }
  return files;
}

test("scanner flags every find-by-name tool, in any form", () => {
  const bad = [
    `${TOOLS[0]} -x dockerd`,
    `spawnSync("${TOOLS[0]}", ["-f", "retire-containers p4-"]);`,
    `await execa("${TOOLS[1]}", ["node"]);`,
    `while ${TOOLS[2]} -x dockerd >/dev/null; do sleep 1; done`,
    `execa("${TOOLS[2]}", ["-f", "x"])`,
    `kill $(${TOOLS[3]} dockerd)`,
    `  ${TOOLS[0]} -TERM -f "sleep 86400" || true`,
    `# ${TOOLS[0]} old engines`,
  ];
  for (const snippet of bad) assert.deepEqual(scanText(snippet), [1], `not flagged: ${snippet}`);
});

test("scanner accepts kills by pid and look-alike words", () => {
  const good = [
    `kill -- -"$(cat "$JOB/pid")"`,
    `child.kill("SIGTERM");`,
    `process.kill(pid, 0)`,
    `docker container kill "$cid"`,
    `const pkilled = 1; skillall(); my-pgrep-helper`,
    `pid=$(cat /var/run/docker.pid)`,
  ];
  for (const snippet of good) assert.deepEqual(scanText(snippet), [], `flagged: ${snippet}`);
});

test("no test, bench, script or host file looks processes up by name", () => {
  const self = fileURLToPath(import.meta.url);
  const files = repoFiles(REPO).filter((f) => f !== self);
  // The tree was found (a wrong root would scan nothing and pass).
  for (const must of ["install.sh", "bench/run.ts", "scripts/start-dockerd.sh", "scripts/test.sh", "test/integration/isolated/engine-down.test.ts", "host/bin/dokku"]) {
    assert.ok(files.includes(join(REPO, must)), `${must} not scanned`);
  }
  const found: string[] = [];
  for (const file of files) {
    const bytes = readFileSync(file);
    if (bytes.includes(0)) continue; // binary
    const text = bytes.toString("utf8");
    for (const line of scanText(text)) found.push(`${relative(REPO, file)}:${line}: ${(text.split("\n")[line - 1] ?? "").trim()}`);
  }
  assert.deepEqual(found, []);
});

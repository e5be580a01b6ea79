/**
 * The README rows of on-purpose differences, as the replays apply them
 * (test/integration/transcript.ts): a row for a section (`after ### …`)
 * holds only there, a `…` line skips lines only where it stands, a change of
 * dokku-ps's output outside them fails, and a row no step needs is found.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO } from "./source-scan.ts";
import { BETWEEN_038, COMMITS_038, NO_COMMIT_038, loadRecords038 } from "./integration/records.ts";
import {
  DIFFERENCES_HEADING,
  DIFFERENCES_HEADING_031,
  DIFFERENCES_HEADING_038,
  REASONS,
  applyDifferences,
  matchesAllowed,
  parseDifferences,
  rowsFor,
  unusedRows,
  type Expectation,
} from "./integration/transcript.ts";

const HEADING = "## Where dokku-ps differs from Dokku 0.31's ps, on purpose";
const table = (...rows: string[]) =>
  parseDifferences([HEADING, "", "| step | Dokku | dokku-ps | why |", "|---|---|---|---|", ...rows, "", "## Next", "| a | b |"].join("\n"), HEADING);

const PUSH = "git push dokku master";
const record = ["-----> Releasing <app>...", "=====> Processing deployment checks", "-----> Deploying web (count=-1)", "       one", "       two", "-----> Checking for postdeploy task", "[exit 0]"].join("\n");

const rows = table(
  "| `git push dokku master` after `### DOKKU_SCALE (web=1` | `=====> Processing deployment checks` | `-----> Scaling <app>`<br>`=====> Processing deployment checks` | DOKKU_SCALE brought back: the push line |",
  "| `git push dokku master` after `### DOKKU_SCALE (web=1` | `-----> Deploying web (count=-1)`<br>…<br>`-----> Checking for postdeploy task` | `-----> Deploying web (count=1)`<br>…<br>`       Renaming web.1`<br>`-----> Checking for postdeploy task` | DOKKU_SCALE brought back: the deploy |",
  "| `git push dokku master` | `count=-1` | `count=0` | a Dokku bug not copied: everywhere else |",
);

const allowed = (section: string | undefined) => applyDifferences(record, rowsFor(rows, PUSH, section)).text;

test("a row after a `###` comment holds in that section only, before the command's other rows", () => {
  assert.equal(rows[0]?.section, "DOKKU_SCALE (web=1");
  assert.equal(rows[0]?.step, PUSH);
  assert.deepEqual(rowsFor(rows, PUSH, "DOKKU_SCALE (web=1 worker=3) committed").map((r) => r.why.split(":")[1]), [" the push line", " the deploy", " everywhere else"]);
  assert.deepEqual(rowsFor(rows, PUSH, "app.json removed").length, 1);
  assert.deepEqual(rowsFor(rows, PUSH).length, 1);
  assert.match(allowed("app.json removed"), /Deploying web \(count=0\)/);
  assert.doesNotMatch(allowed("app.json removed"), /Scaling/);
});

test("a … line skips any lines where it stands, and only there", () => {
  const ok = allowed("DOKKU_SCALE (web=1 worker=3)");
  const ps = ["-----> Releasing <app>...", "-----> Scaling <app>", "=====> Processing deployment checks", "-----> Deploying web (count=1)", "       a", "       b", "       c", "       Renaming web.1", "-----> Checking for postdeploy task", "[exit 0]"];
  assert.ok(matchesAllowed(ok, ps.join("\n")));
  // No lines where the … stands is fine too.
  assert.ok(matchesAllowed(ok, ps.filter((l) => !/^ {7}[abc]$/.test(l)).join("\n")));
  // Any change outside the … fails: a line of the row, a line around it, the exit, an extra line at the end.
  for (const [from, to] of [["       Renaming web.1", "       Renaming web.2"], ["-----> Scaling <app>", "-----> Scaling <app> "], ["[exit 0]", "[exit 1]"], ["-----> Releasing <app>...", "-----> Releasing"]] as const) {
    assert.ok(!matchesAllowed(ok, ps.map((l) => (l === from ? to : l)).join("\n")), `${from} → ${to}`);
  }
  assert.ok(!matchesAllowed(ok, [...ps, "more"].join("\n")));
  assert.ok(!matchesAllowed(ok, ps.filter((l) => l !== "       Renaming web.1").join("\n")));
  // Without a … the texts must be equal.
  assert.ok(matchesAllowed("a\nb", "a\nb"));
  assert.ok(!matchesAllowed("a\nb", "a\nx\nb"));
});

test("a row no step needs is found, so is a section row outside its section", () => {
  const step = (section?: string): Expectation => ({ command: PUSH, kind: "push", expected: record, ...(section ? { section } : {}) });
  assert.deepEqual(unusedRows(rows, [step("DOKKU_SCALE (web=1 worker=3)"), step("app.json")]), []);
  // Only outside the section: both section rows are unused.
  assert.deepEqual(unusedRows(rows, [step("app.json")]).map((r) => r.section), ["DOKKU_SCALE (web=1", "DOKKU_SCALE (web=1"]);
  // In the section, the general row's text is gone (the section row replaced it first) and no other step needs it.
  assert.deepEqual(unusedRows(rows, [step("DOKKU_SCALE (web=1 worker=3)")]).map((r) => r.dokku), ["count=-1"]);
  // A … row whose first or last line is not in the record is unused.
  const missing = table("| `git push dokku master` | `-----> Deploying web (count=-1)`<br>…<br>`-----> Nothing like it` | `x` | DOKKU_SCALE brought back: x |");
  assert.equal(unusedRows(missing, [step()]).length, 1);
});

test("rows are refused with a reason of no known kind, or a … at a cell's edge", () => {
  assert.ok(REASONS.includes("DOKKU_SCALE brought back"));
  assert.throws(() => table("| `x` | `a` | `b` | because: no kind |"), /reason must be one of/);
  assert.throws(() => table("| `x` | …<br>`a` | `b` | a clearer message: x |"), /… line must stand between/);
  assert.throws(() => table("| `x` | `a` | `b`<br>… | a clearer message: x |"), /… line must stand between/);
  assert.throws(() => table("| `x` | `a`<br>…<br>…<br>`b` | `b` | a clearer message: x |"), /… line must stand between/);
  // A `…` in a code span is output, not an elision.
  assert.equal(table("| `x` | `a`<br>`…`<br>`b` | `b` | a clearer message: x |")[0]?.dokku, "a\n…\nb");
});

test("README's tables parse, and every 0.31 row for a section names a `###` comment of the 0.31.5 records", () => {
  const readme = readFileSync(join(REPO, "README.md"), "utf8");
  assert.ok(parseDifferences(readme, DIFFERENCES_HEADING).length > 0);
  const rows031 = parseDifferences(readme, DIFFERENCES_HEADING_031);
  const comments = ["core-ps-0.31.5.log", "core-ps-0.31.5-extra.log"].flatMap((name) =>
    [...readFileSync(join(REPO, "test", "fixtures", "real-dokku-0.31.5", name), "utf8").matchAll(/^### (.*)$/gm)].map((m) => m[1] as string),
  );
  const scoped = rows031.filter((r) => r.section !== undefined);
  assert.ok(scoped.length > 0);
  for (const row of scoped) assert.ok(comments.some((c) => c.startsWith(row.section as string)), `no comment "### ${row.section}…"`);
});

test("README's 0.38 table is its own section, and every row for a section names a `###` comment of the 0.38.27 records", () => {
  const readme = readFileSync(join(REPO, "README.md"), "utf8");
  assert.notEqual(DIFFERENCES_HEADING_038, DIFFERENCES_HEADING_031);
  assert.equal(readme.split("\n").filter((l) => l === DIFFERENCES_HEADING_038).length, 1);
  const rows038 = parseDifferences(readme, DIFFERENCES_HEADING_038);
  const comments = ["core-ps-0.38.27.log", "core-ps-0.38.27-extra.log"].flatMap((name) =>
    [...readFileSync(join(REPO, "test", "fixtures", "real-dokku-0.38.27", name), "utf8").matchAll(/^### (.*)$/gm)].map((m) => m[1] as string),
  );
  assert.ok(comments.length > 30, `${comments.length} comments`);
  for (const row of rows038.filter((r) => r.section !== undefined)) assert.ok(comments.some((c) => c.startsWith(row.section as string)), `no comment "### ${row.section}…"`);
});

test("the 0.38.27 records parse whole, and the replay knows every `###` comment of them (a commit, or none) and every command", () => {
  // loadRecords038 classifies each command (classify038 throws on one it does not know).
  const { steps } = loadRecords038();
  assert.equal(steps.length, 294 + 83, "the record README's step counts");
  assert.equal(steps.filter((s) => s.step.exitCode === undefined).length, 0, "every step has its exit code");
  const markers = steps.flatMap((s) => s.step.markers);
  for (const marker of markers) {
    const commits = COMMITS_038.filter(([re]) => re.test(marker)).length;
    const none = NO_COMMIT_038.filter((re) => re.test(marker)).length;
    assert.equal(commits + none, 1, `the comment "${marker}" must be known exactly once`);
  }
  // Each commit, no-commit and in-between entry names a comment of the records.
  for (const re of [...COMMITS_038.map(([re]) => re), ...NO_COMMIT_038, ...BETWEEN_038.map(([re]) => re)]) {
    assert.ok(markers.some((m) => re.test(m)), `${re} names no comment`);
  }
  // The pushes: one per repo state of the record README plus the first, and the empty commit's.
  assert.equal(steps.filter((s) => s.kind === "push").length, 7);
  assert.deepEqual(
    [...new Set(steps.filter((s) => s.kind === "dropped").map((s) => s.command.split(" ")[0]))].sort(),
    ["cat", "docker", "docker-container-healthchecker", "docker-image-labeler", "git", "head", "lambda-builder", "ls", "netrc", "node", "plugn", "procfile-util", "sigil", "sshcommand", "sudo"],
  );
});

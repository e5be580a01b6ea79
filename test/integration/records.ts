/**
 * The records of real Dokku 0.24.10's own ps (test/fixtures/real-dokku, a
 * copy of shared/real-dokku/transcripts) and the README table of on-purpose
 * differences, as both replays (transcript-replay, smoke-replay) read them,
 * plus the bookkeeping they share: per-step comparison with the table's rows,
 * the dump, and the check that every row is needed by some record.
 */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BASE_IMAGE, REPO } from "./harness.ts";
import {
  DIFFERENCES_HEADING_031,
  DIFFERENCES_HEADING_038,
  applyDifferences,
  core031Expectations,
  core038Expectations,
  ELIDED,
  elidedDiff,
  lineDiff,
  matchesAllowed,
  parseDifferences,
  rowsFor,
  smokeExpectations,
  step2Expectations,
  unusedRows,
  type Difference,
  type Expectation,
} from "./transcript.ts";

const RECORDS = process.env["DOKKU_PS_TRANSCRIPTS"] ?? join(REPO, "test", "fixtures", "real-dokku");
const record = (name: string): string => readFileSync(join(RECORDS, name), "utf8");

/** The app of steps.sh and smoke.sh, with sleep 86400 (a restarted container cannot be renamed on this Docker). */
export const RECORDED_APP_FILES = {
  Dockerfile: `FROM ${BASE_IMAGE}\nWORKDIR /app\nCOPY . /app\nCMD sleep 86400\n`,
  Procfile: "web: sleep 86400\nworker: sleep 86400\n",
};

/** What each record expects, and the README table. */
export function loadRecords(): {
  step2: ReturnType<typeof step2Expectations>;
  smoke: ReturnType<typeof smokeExpectations>;
  table: Difference[];
} {
  return {
    step2: step2Expectations(record("step2-core-ps.log")),
    smoke: smokeExpectations(record("smoke-commands.log"), record("smoke-fresh.log")),
    table: parseDifferences(readFileSync(join(REPO, "README.md"), "utf8")),
  };
}

const RECORDS_031 = join(REPO, "test", "fixtures", "real-dokku-0.31.5");

/** The 0.31.5 app of core-ps-0.31.5.log (its `###` comments and `cat Procfile`). */
export const RECORDED_APP_FILES_031 = {
  Dockerfile: `FROM ${BASE_IMAGE}\nWORKDIR /app\nCOPY . /app\nCMD ["/bin/sh","-c","while true; do sleep 1; done"]\n`,
  Procfile: "web: sleep 86400\nworker: sleep 86400\n",
};

/** Real Dokku 0.31.5's records (core-ps-0.31.5.log, then -extra.log) and README's 0.31 table. */
export function loadRecords031(): { steps: ReturnType<typeof core031Expectations>; table: Difference[] } {
  const read = (name: string): [string, string] => [name, readFileSync(join(RECORDS_031, name), "utf8")];
  return {
    steps: core031Expectations([read("core-ps-0.31.5.log"), read("core-ps-0.31.5-extra.log")]),
    table: parseDifferences(readFileSync(join(REPO, "README.md"), "utf8"), DIFFERENCES_HEADING_031),
  };
}

const RECORDS_038 = join(REPO, "test", "fixtures", "real-dokku-0.38.27");

/** The 0.38.27 app of core-ps-0.38.27.log: the 0.31.5 one (the record README's repo state `init`). */
export const RECORDED_APP_FILES_038 = RECORDED_APP_FILES_031;

/** The 0.31.5 log's `###` comments: files committed before the next push (null deletes), and the commit's message when the record shows it. */
export const COMMITS_031: Array<[RegExp, Record<string, string | null>, string?]> = [
  [/^DOKKU_SCALE \(web=1 worker=3\) committed/, { DOKKU_SCALE: "web=1\nworker=3\n" }],
  [
    /^app\.json formation web=1 worker=2 replaces DOKKU_SCALE/,
    { DOKKU_SCALE: null, "app.json": '{"formation":{"web":{"quantity":1},"worker":{"quantity":2}}}\n' },
    "app.json formation web=1 worker=2",
  ],
  [/^app\.json formation naming only worker/, { "app.json": '{"formation":{"worker":{"quantity":1}}}\n' }],
  [/^app\.json removed/, { "app.json": null }],
  [/^bad Procfile/, { Procfile: "web sleep 86400\nworker: sleep 86400\n" }],
];

/** The 0.38.27 logs' `###` comments: 0.31.5's (the record replays its steps), after the new section's empty commit (none: an empty commit). */
export const COMMITS_038: Array<[RegExp, Record<string, string | null>, string?]> = [
  [/^skip-deploy on the app, then an empty commit pushed/, {}],
  ...COMMITS_031,
];

/** Comments that commit nothing (a comment's continuation lines included). */
export const NO_COMMIT_038 = [
  /^d\. core ps 0\.38\.27/,
  /^faster deploys/,
  /^trigger migrates the global config var/,
  /^found before this run/,
  /^checks --global default-wait 1/,
  /^both vars back into the global env/,
  /^0\.36-0\.38 ps properties/,
  /^the full report, every flag/,
  /^stop-timeout-seconds: app value 7/,
  /^cleared again/,
  /^ps:stop with stop-timeout-seconds 3/,
  /^skip-deploy global/,
  /^start-cmd "sleep 4242"/,
  /^dockerfile-start-cmd "sleep 4343"/,
  /^app-only keys set with --global/,
  /^global restart-policy unless-stopped/,
  /^decides, ps:rebuild/,
  /^procfile-path nope\/Procfile/,
  /^an unknown key, a missing key, a missing app/,
  /^apps besides rdweb: none/,
  /^e\. extras/,
  /^plugn stdin test/,
  /^the same through dokku/,
  /^the ps plugin directory/,
  /^ps triggers: ps-current-scale/,
  /^ps-get-property with/,
  /^global values cleared/,
  /^procfile-exists, ps:retire/,
  /^ps:restore on a stopped app/,
  /^versions$/,
  /^the tools, each with its own version/,
  /^cleanup: the app destroyed/,
  /^supplement, run after the cleanup above/,
  /^ps:scale before any deploy\)/,
  /^supplement: how the ps plugin is installed/,
];

/** What the recorder did between steps, outside the record (its README), at the comment that follows it. */
export const BETWEEN_038: Array<[RegExp, string[]]> = [[/^supplement, run after the cleanup above/, ["config:unset", "--global", "--no-restart", "DOKKU_DEFAULT_CHECKS_WAIT", "DOKKU_WAIT_TO_RETIRE"]]];

/** Real Dokku 0.38.27's records (core-ps-0.38.27.log, then -extra.log) and README's 0.38 table. */
export function loadRecords038(): { steps: ReturnType<typeof core038Expectations>; table: Difference[] } {
  const read = (name: string): [string, string] => [name, readFileSync(join(RECORDS_038, name), "utf8")];
  return {
    steps: core038Expectations([read("core-ps-0.38.27.log"), read("core-ps-0.38.27-extra.log")]),
    table: parseDifferences(readFileSync(join(REPO, "README.md"), "utf8"), DIFFERENCES_HEADING_038),
  };
}

/** One replay's comparisons: each step against its record after the table's rows. */
export class ReplayReport {
  private readonly failures: string[] = [];
  private readonly dump: string[] = [];

  constructor(
    private readonly table: readonly Difference[],
    private readonly dokku = "Dokku 0.24",
  ) {}

  /** `section`: the record's last `###` comment before the step (rows `after ### …`). */
  compare(label: string, command: string, expected: string, actual: string, section?: string): void {
    const rows = rowsFor(this.table, command, section);
    const { text: allowed } = applyDifferences(expected, rows);
    this.dump.push(`${label}\n--- ${this.dokku} (normalised)\n${expected}\n--- dokku-ps on host/\n${actual}\n`);
    if (!matchesAllowed(allowed, actual)) {
      const diff = allowed.includes(ELIDED) ? elidedDiff(allowed, actual) : lineDiff(allowed, actual);
      this.failures.push(`${label}: differs from the record${rows.length ? " (after the README rows)" : ""}\n${diff}`);
    }
  }

  /**
   * Fails on any difference; also on a README row that no record needs
   * (`all`: every record's expectations, so each replay checks the whole table).
   */
  finish(all: readonly Expectation[]): void {
    if (process.env["DOKKU_PS_REPLAY_DUMP"]) writeFileSync(process.env["DOKKU_PS_REPLAY_DUMP"], this.dump.join("\n"));
    for (const row of unusedRows(this.table, all)) {
      this.failures.push(`README row matches no difference in any record: ${row.step} | ${JSON.stringify(row.dokku)} → ${JSON.stringify(row.dokkuPs)}`);
    }
    assert.equal(this.failures.length, 0, this.failures.join("\n\n"));
  }
}

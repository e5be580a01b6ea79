/**
 * Reading the records of Dokku's own ps (0.24.10: shared/real-dokku/transcripts;
 * 0.31.5: shared/real-dokku-0.31.5/transcripts) and putting them and the host's
 * outputs into one comparable form. Used by the replays (transcript-replay,
 * smoke-replay, transcript-0.31-replay); no I/O besides what the caller passes in.
 */

export interface RecordedStep {
  /** The command line as recorded after `$ `. */
  command: string;
  /** The `### …` marker lines seen since the previous step. */
  markers: string[];
  output: string;
  /** Missing for 0.24's `docker ps (…)` listings, which have no exit line. */
  exitCode?: number;
}

/**
 * `[exit N, 12s]` (0.24.10's records) or `[exit N, 0.1s]` (0.31.5's), on a line
 * of its own or, after an output without a final newline, at the end of its
 * last line (then the output keeps no final newline).
 */
const EXIT_LINE = /^(.*)\[exit (\d+), \d+(?:\.\d+)?s\]$/;

/** Splits a transcript into its `$ command` steps (outputs and exit codes). */
export function parseTranscript(text: string): RecordedStep[] {
  const steps: RecordedStep[] = [];
  let markers: string[] = [];
  let current: { command: string; markers: string[]; lines: string[] } | undefined;
  const close = (exitCode?: number, unterminated = "") => {
    if (!current) return;
    const output = current.lines.map((l) => `${l}\n`).join("") + unterminated;
    steps.push({ command: current.command, markers: current.markers, output, exitCode });
    current = undefined;
  };
  for (const line of text.split("\n")) {
    if (line.startsWith("$ ")) {
      close();
      current = { command: line.slice(2), markers, lines: [] };
      markers = [];
    } else if (line.startsWith("### ")) {
      close();
      markers.push(line.slice(4));
    } else if (current) {
      const exit = EXIT_LINE.exec(line);
      if (exit) close(Number(exit[2]), exit[1]);
      else if (current.command.startsWith("docker ps (") && line === "") close();
      else current.lines.push(line);
    }
  }
  close();
  return steps;
}

export interface NormaliseOptions {
  app: string;
  root: string;
  /** DOKKU_LIB_ROOT, shown as `<lib>` (the 0.31.5 record lists files under it). */
  lib?: string;
  /** A `git push`: `remote: ` prefixes and trailing blanks go. */
  pushed?: boolean;
  /**
   * Newer Dokku's terminal sequences: the `ESC[1G` line prefixes and the colour
   * codes (`ESC[1mESC[31m !     ESC[0mESC[0m`) go, and so do carriage returns
   * and every line's trailing blanks (docker-container-healthchecker pads its
   * lines to a width).
   */
  escapes?: boolean;
}

/**
 * One comparable text: the app name, DOKKU_ROOT, container IDs, docker's
 * random names, rename timestamps and waits replaced by placeholders; the
 * builder's output (host infrastructure, not ps) dropped; git's ref lines
 * replaced by one placeholder line.
 */
export function normaliseOutput(text: string, { app, root, lib, pushed, escapes }: NormaliseOptions): string {
  let lines = text.replace(/\n$/, "").split("\n");
  if (escapes) lines = lines.map((l) => l.replace(/\x1b\[1G|\x1b\[[0-9;]*m|\r/g, "").replace(/\s+$/, ""));
  if (pushed) lines = lines.map((l) => l.replace(/^remote: ?/, "").replace(/\s+$/, ""));
  lines = dropBuilderOutput(lines);
  const out: string[] = [];
  for (let line of lines) {
    if (lib) line = line.split(lib).join("<lib>");
    line = line.split(root).join("<root>").split(app).join("<app>");
    if (/^To (ext::|\/)/.test(line)) line = "To <remote>";
    else if (/^ [ *+=!-] (\[new branch\]|[0-9a-f]+\.\.\.?[0-9a-f]+)\s+\S+ -> \S+/.test(line)) line = "<ref update>";
    line = line
      .replace(/(<app>\.[a-z0-9-]+\.\d+)\.\d{9,}/g, "$1.<ts>")
      .replace(/(<app>\.[a-z0-9-]+\.\d+)\.upcoming-\d+/g, "$1.upcoming-<n>")
      .replace(/\b[0-9a-f]{40}\b/g, "<rev>")
      .replace(/\b(?=[0-9a-f]*[0-9])[0-9a-f]{64}\b|\b(?=[0-9a-f]*[0-9])[0-9a-f]{11,12}\b/g, "<cid>")
      .replace(/^(\s+Renaming container \(<cid>\)) [a-z]+_[a-z]+ to /, "$1 <random> to ")
      .replace(/Waiting for \d+ seconds/, "Waiting for <n> seconds")
      .replace(/ in \d+ seconds($| \()/, " in <n> seconds$1");
    out.push(line);
  }
  return out.join("\n");
}

/**
 * Drops the builder's lines: from `-----> Cleaning up...` (or, without it,
 * `-----> Building <app> from Dockerfile`) through `Successfully tagged …`.
 * A `Cleaning up...` that no `Successfully tagged …` follows is not a build's
 * (apps:destroy prints one) and stays.
 */
export function dropBuilderOutput(lines: string[]): string[] {
  const out: string[] = [];
  let inBuild = false;
  for (const [i, line] of lines.entries()) {
    const start = /^-----> (Cleaning up\.\.\.|Building \S+ from Dockerfile)$/.test(line);
    if (!inBuild && start && lines.slice(i + 1).some((l) => /^Successfully tagged /.test(l))) inBuild = true;
    if (inBuild) {
      if (/^Successfully tagged /.test(line)) inBuild = false;
      continue;
    }
    out.push(line);
  }
  return out;
}

/** Names the last deploy in this output renamed new containers to (plain `<app>.<proc>.<n>`). */
export function releasedNames(normalised: string): string[] | undefined {
  if (!/^-----> Renaming containers$/m.test(normalised)) return undefined;
  const names: string[] = [];
  // 0.24: `(<cid>) <random> to <name>`; 0.31: `<name>.upcoming-<n> (<cid>) to <name>`
  // and, for a container kept, `<name>.<ts> (<cid>) to <name>` (renamed back).
  for (const m of normalised.matchAll(/^\s+Renaming container (?:\S+ )?\(<cid>\) (?:\S+ )?to (<app>\.[a-z0-9-]+\.\d+)$/gm)) {
    if (!names.includes(m[1] as string)) names.push(m[1] as string);
  }
  return names;
}

/**
 * A `docker ps` listing (`name<TAB>status<TAB>process type[<TAB>image]` lines)
 * as sorted `name state type [image]` lines, keeping only the containers of the current release.
 * Old releases' containers (renamed `<name>.<ts>`, or left with their name after
 * a scale-down) are retired in the background by Dokku 60 s later and never
 * removed, while the host retires and removes them at once: not ps's output.
 */
export function normaliseListing(text: string, app: string, current: readonly string[]): string {
  const rows: string[] = [];
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    const [name = "", status = "", ...rest] = line.split("\t");
    const n = name.split(app).join("<app>");
    if (!current.includes(n)) continue;
    // An image shown by its id (its tag moved on: a release skipped) is the engine's id.
    const columns = rest.map((c) => c.split(app).join("<app>").replace(/^(?=[0-9a-f]*[0-9])[0-9a-f]{12}$/, "<image id>"));
    rows.push([n, status.split(" ")[0], ...columns].join(" "));
  }
  return rows.sort().join("\n");
}

/**
 * ps:inspect compared structurally: a JSON array with one entry per container,
 * each summarised by name, process type, labels' keys, the masked pattern of
 * its Env (DYNO/PORT values kept), the program it runs and its restart policy.
 */
/**
 * Left out of the ps:inspect comparison, on both sides: Env keys the host's
 * own git/builder plugins do not set (Dokku's git plugin sets GIT_REV, its
 * builder DOKKU_APP_TYPE), the harness's global waits (Dokku passes global
 * config to containers too, the record had none), and the image labels
 * Dokku's release step adds with docker-image-labeler (not on the host).
 */
const HOST_ONLY_ENV = new Set(["GIT_REV", "DOKKU_APP_TYPE", "DOKKU_DEFAULT_CHECKS_WAIT", "DOKKU_WAIT_TO_RETIRE"]);
const HOST_ONLY_LABELS = new Set(["com.dokku.image-stage", "com.dokku.docker-image-labeler/alternate-tags"]);

export function summariseInspect(text: string, app: string): string {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return `not JSON: ${text.slice(0, 200)}`;
  }
  if (!Array.isArray(data)) return "not a JSON array";
  const rows = data.map((c: any) => {
    const env = ((c?.Config?.Env ?? []) as string[])
      .filter((e) => !HOST_ONLY_ENV.has(e.split("=")[0] as string))
      .map((e) => {
        const [k = "", v = ""] = e.split(/=(.*)/s);
        if (k === "DYNO" || k === "PORT") return `${k}=${v}`;
        return v === "XXXXXX" ? `${k}=XXXXXX` : `${k}=<value>`;
      })
      .sort();
    const labels = Object.keys(c?.Config?.Labels ?? {})
      .filter((k) => !HOST_ONLY_LABELS.has(k))
      .sort();
    const policy = c?.HostConfig?.RestartPolicy ?? {};
    return [
      `name ${String(c?.Name ?? "").split(app).join("<app>")}`,
      `labels ${labels.join(" ")}`,
      `env ${env.join(" ")}`,
      `program ${(c?.Config?.Cmd ?? [])[0] ?? ""}`,
      `restart ${policy.Name}:${policy.MaximumRetryCount}`,
    ].join("\n  ");
  });
  return [`${data.length} containers`, ...rows.sort()].join("\n");
}

export interface Difference {
  step: string;
  /**
   * The record's `###` comment (its start) after which the row holds, up to
   * the next comment: step cell `` `<command>` after `### <comment>` ``.
   * Without one the row holds for every step with that command.
   */
  section?: string;
  dokku: string;
  dokkuPs: string;
  why: string;
}

/**
 * A cell's line that is `…` alone (not in a code span): any run of lines
 * (none or more). In the Dokku cell it takes in the record's lines between
 * its neighbours; in the dokku-ps cell it stands for whatever dokku-ps
 * prints there. Held as this line (a NUL no output has), between two lines.
 */
export const ELIDED = "\u0000…";

export const REASONS = ["newer-Dokku behaviour", "a Dokku bug not copied", "a clearer message", "DOKKU_SCALE brought back"];
export const DIFFERENCES_HEADING = "## Where dokku-ps differs from Dokku 0.24's ps, on purpose";
export const DIFFERENCES_HEADING_031 = "## Where dokku-ps differs from Dokku 0.31's ps, on purpose";
export const DIFFERENCES_HEADING_038 = "## Where dokku-ps differs from Dokku 0.38's ps, on purpose";

/** The rows of the README's on-purpose differences table under `heading` (default: the 0.24 one). */
export function parseDifferences(readme: string, heading = DIFFERENCES_HEADING): Difference[] {
  const lines = readme.split("\n");
  const start = lines.indexOf(heading);
  if (start < 0) throw new Error(`README has no section "${heading}"`);
  const rows: Difference[] = [];
  let headerSeen = false;
  for (const line of lines.slice(start + 1)) {
    if (line.startsWith("## ")) break;
    if (!line.startsWith("|")) continue;
    const cells = splitRow(line);
    if (!headerSeen) {
      headerSeen = true;
      continue;
    }
    if (cells.every((c) => /^:?-+:?$/.test(c))) continue;
    if (cells.length !== 4) throw new Error(`README differences row needs 4 cells: ${line}`);
    const [stepCell, dokku, dokkuPs, why] = cells as [string, string, string, string];
    if (!REASONS.some((r) => why.startsWith(r))) throw new Error(`README differences row: reason must be one of ${REASONS.join(", ")}: ${line}`);
    const scoped = /^`(.*)` after `### (.+)`$/.exec(stepCell);
    const row: Difference = { step: scoped ? (scoped[1] as string) : code(stepCell), dokku: code(dokku), dokkuPs: code(dokkuPs), why };
    if (scoped) row.section = scoped[2] as string;
    for (const text of [row.dokku, row.dokkuPs]) {
      const lines = text.split("\n");
      if (lines[0] === ELIDED || lines[lines.length - 1] === ELIDED || lines.some((l, i) => l === ELIDED && lines[i + 1] === ELIDED)) {
        throw new Error(`README differences row: a … line must stand between two lines of output: ${line}`);
      }
    }
    rows.push(row);
  }
  return rows;
}

function splitRow(line: string): string[] {
  const cells: string[] = [];
  let cell = "";
  let inCode = false;
  for (const ch of line.trim().replace(/^\|/, "").replace(/\|$/, "")) {
    if (ch === "`") inCode = !inCode;
    if (ch === "|" && !inCode) {
      cells.push(cell.trim());
      cell = "";
    } else cell += ch;
  }
  cells.push(cell.trim());
  return cells;
}

/** A cell's code spans, `<br>`-separated spans being lines of one text; a bare `…` is ELIDED. */
function code(cell: string): string {
  return cell
    .split("<br>")
    .map((part) => {
      const m = /`(.*)`/.exec(part);
      if (m) return m[1] as string;
      return part.trim() === "…" ? ELIDED : part.trim();
    })
    .join("\n");
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** A text with ELIDED lines as a regular expression (ELIDED: any whole lines, as few as will do). */
function elisionPattern(text: string): string {
  return text
    .split("\n")
    .map((l, i, all) => (l === ELIDED ? "(?:[^\\n]*\\n)*?" : escapeRegExp(l) + (i < all.length - 1 ? "\\n" : "")))
    .join("");
}

/**
 * Whether dokku-ps's text is the allowed one: equal, or, where the allowed
 * text has ELIDED lines, equal line for line outside them.
 */
export function matchesAllowed(allowed: string, actual: string): boolean {
  if (!allowed.includes(ELIDED)) return allowed === actual;
  return new RegExp(`^${elisionPattern(`${allowed}\n`)}$`).test(`${actual}\n`);
}

/** Slots in `Attempting pre-flight checks (<slot>)` order. */
export function preflightOrder(text: string): string[] {
  return [...text.matchAll(/^-----> Attempting pre-flight checks \(([^)]+)\)$/gm)].map((m) => m[1] as string);
}

/** Reorders the pre-flight blocks (each up to its last line before the next `----->`). */
export function reorderPreflight(text: string, order: readonly string[]): string {
  const lines = text.split("\n");
  const blocks = new Map<string, string[]>();
  let first = -1;
  let last = -1;
  for (let i = 0; i < lines.length; i++) {
    const m = /^-----> Attempting pre-flight checks \(([^)]+)\)$/.exec(lines[i] as string);
    if (!m) continue;
    if (first < 0) first = i;
    let j = i + 1;
    while (j < lines.length && !(lines[j] as string).startsWith("-----> ")) j++;
    blocks.set(m[1] as string, lines.slice(i, j));
    last = j;
    i = j - 1;
  }
  if (first < 0) return text;
  const reordered = order.flatMap((slot) => blocks.get(slot) ?? []);
  return [...lines.slice(0, first), ...reordered, ...lines.slice(last)].join("\n");
}

/**
 * Applies the table's rows for one step to the record's text (each row's
 * Dokku text replaced wherever it occurs, or the pre-flight blocks put in
 * the row's order). Returns the
 * text and the rows that did not apply (no matching difference).
 */
export function applyDifferences(record: string, rows: readonly Difference[]): { text: string; unused: Difference[] } {
  let text = record;
  const unused: Difference[] = [];
  for (const row of rows) {
    if (row.dokku.startsWith("pre-flight order: ")) {
      const from = row.dokku.slice("pre-flight order: ".length).split(/,\s*/);
      const to = row.dokkuPs.replace(/^pre-flight order: /, "").split(/,\s*/);
      if (preflightOrder(text).join(",") !== from.join(",")) unused.push(row);
      else text = reorderPreflight(text, to);
    } else if (row.dokku.includes(ELIDED)) {
      // From the row's first lines to its last, whatever the record has between.
      const at = new RegExp(elisionPattern(row.dokku), "g");
      if (at.test(text)) text = text.replace(at, () => row.dokkuPs);
      else unused.push(row);
    } else if (text.includes(row.dokku)) text = text.split(row.dokku).join(row.dokkuPs);
    else unused.push(row);
  }
  return { text, unused };
}

/**
 * What the records expect, computed from the records alone: one entry per
 * replayed command, its label (the command, the app as `<app>`) and its
 * normalised expected text (with its `[exit …]` line when recorded). The
 * README rows a record needs follow from these alone, so each replay checks
 * the table against every record (see unusedRows).
 */
export interface Expectation {
  /** The command as recorded or as in smoke.sh, the app as `<app>`: a README row's step. */
  command: string;
  /** The record's last `###` comment before the step (a README row's `after ### …`). */
  section?: string;
  kind: "listing" | "push" | "dokku" | "cat" | "inspect" | Kind031;
  expected: string;
}

export const STEP2_APP = "rdweb";
export const SMOKE_APP = "rdsmoke";
/** DOKKU_ROOT of the recording host. */
export const RECORDED_ROOT = "/home/dokku";

export function stepKind(step: RecordedStep): "listing" | "push" | "dokku" | "cat" {
  if (step.command.startsWith("docker ps (")) return "listing";
  if (step.command.startsWith("git ")) return "push";
  if (step.command.startsWith("dokku ")) return "dokku";
  if (step.command.startsWith("cat ")) return "cat";
  throw new Error(`unknown recorded command: ${step.command}`);
}

/**
 * step2-core-ps.log's steps with their expected texts. `docker ps` listings
 * keep only the current release's containers (see normaliseListing), known
 * from the record's own last rename.
 */
export function step2Expectations(log: string): Array<Expectation & { step: RecordedStep }> {
  const out: Array<Expectation & { step: RecordedStep }> = [];
  let current: string[] = [];
  let section: string | undefined;
  for (const step of parseTranscript(log)) {
    section = step.markers.at(-1) ?? section;
    const kind = stepKind(step);
    const command = step.command.split(STEP2_APP).join("<app>");
    let expected: string;
    if (kind === "listing") expected = normaliseListing(step.output, STEP2_APP, current);
    else {
      expected = step.command.startsWith("dokku ps:inspect")
        ? summariseInspect(step.output, STEP2_APP)
        : normaliseOutput(step.output, { app: STEP2_APP, root: RECORDED_ROOT, pushed: kind === "push" });
      expected += `\n${exitLine(step.exitCode)}`;
      current = releasedNames(expected) ?? current;
    }
    out.push({ command, kind, expected, step, ...(section === undefined ? {} : { section }) });
  }
  return out;
}

/** `[exit N]`; a record that only knows "not 0" says `[exit non-zero]`. */
export function exitLine(code: number | "non-zero" | undefined): string {
  return `[exit ${code ?? "not recorded"}]`;
}

/** The host's exit code in the record's terms (`non-zero` when that is all the record knows). */
export function hostExitLine(code: number, recorded: number | "non-zero"): string {
  return exitLine(recorded === "non-zero" && code !== 0 ? "non-zero" : code);
}

export interface SmokeStep {
  /** smoke.sh's command, `$APP` as `<app>` (the push as steps.sh writes it, so one row can serve both records). */
  command: string;
  kind: "dokku" | "push" | "inspect";
  /** The first line of its output in smoke-commands.log (where one command's output ends and the next begins). */
  first: RegExp;
  /**
   * The smoke.sh check that recorded its exit code (smoke-fresh.log, that run's
   * own report). Without one the record holds only what it printed.
   */
  exitCheck?: string;
  /** Files smoke.sh commits before this step (null deletes). */
  commit?: Record<string, string | null>;
}

/** The docker inspect format of smoke.sh's web.1 check. */
export const SMOKE_INSPECT_FORMAT =
  '{{index .Config.Labels "com.dokku.app-name"}} {{index .Config.Labels "com.dokku.process-type"}} {{.HostConfig.RestartPolicy.Name}}:{{.HostConfig.RestartPolicy.MaximumRetryCount}}';

const PUSH = "git -c protocol.ext.allow=always push dokku master";

/** smoke.sh's `run` calls, in order (its `push` helper runs the git push). */
export const SMOKE_STEPS: readonly SmokeStep[] = [
  { command: "dokku apps:create <app>", kind: "dokku", first: /^-----> Creating /, exitCheck: "apps:create exit code" },
  { command: "dokku proxy:disable <app>", kind: "dokku", first: /^-----> Disabling proxy/, exitCheck: "proxy:disable exit code" },
  { command: PUSH, kind: "push", first: /^remote: /, exitCheck: "git push exit code" },
  { command: "docker container inspect -f '<labels, restart policy>' <web.1>", kind: "inspect", first: /^\S+ \S+ \S+:\d+$/ },
  { command: "dokku ps:scale <app> worker=2", kind: "dokku", first: /^-----> Scaling \S+ processes: /, exitCheck: "ps:scale exit code" },
  { command: "dokku ps:scale <app>", kind: "dokku", first: /^-----> Scaling for / },
  { command: "dokku ps:report <app>", kind: "dokku", first: /^=====> \S+ ps information$/, exitCheck: "ps:report exit code" },
  { command: "dokku ps:report <app> --ps-restart-policy", kind: "dokku", first: /^\S+$/ },
  { command: "dokku ps:stop <app>", kind: "dokku", first: /^Stopping /, exitCheck: "ps:stop exit code" },
  { command: "dokku ps:report <app> --running", kind: "dokku", first: /^\S+$/ },
  { command: "dokku ps:start <app>", kind: "dokku", first: /^-----> Releasing /, exitCheck: "ps:start exit code" },
  { command: PUSH, kind: "push", first: /^remote: /, exitCheck: "git push exit code", commit: { DOKKU_SCALE: "web=1\nworker=3\n" } },
  {
    command: "dokku ps:scale <app> worker=1",
    kind: "dokku",
    first: /^ !     /,
    exitCheck: "ps:scale refused while DOKKU_SCALE is in the image (exit code != 0)",
  },
  { command: "dokku ps:report <app> --ps-can-scale", kind: "dokku", first: /^\S+$/ },
  { command: "dokku --force apps:destroy <app>", kind: "dokku", first: /^-----> Destroying /, exitCheck: "apps:destroy exit code" },
];

/**
 * What smoke.sh's `run` keeps of a command's combined output: `$(…)` drops the
 * final newlines, its sed the `ESC[1G` sequences.
 */
export function asSmokeRun(text: string): string {
  return text.replace(/\x1b\[1G/g, "").replace(/\n+$/, "");
}

/**
 * smoke-commands.log cut into SMOKE_STEPS' outputs (the `        | ` prefix
 * removed; each output runs to the next one's first line), with the exit codes
 * smoke-fresh.log's passed checks recorded: `(N)` of an exit-code check, and
 * `non-zero` for the refusal check that passed. Throws when the log does not
 * cut into exactly these outputs or the run did not pass every check.
 */
export function parseSmoke(log: string, report: string): Array<SmokeStep & { output: string; exitCode?: number | "non-zero" }> {
  const lines = log.replace(/\n$/, "").split("\n").map((l) => {
    if (!l.startsWith("        | ") && l !== "        |") throw new Error(`smoke transcript line without the run prefix: ${JSON.stringify(l)}`);
    return l.slice("        | ".length);
  });
  if (!/^\d+ passed, 0 failed$/m.test(report)) throw new Error("the recorded smoke run did not pass every check");
  const checks = new Map<string, string>();
  for (const m of report.matchAll(/^  ok    (.*) \(([^()]*)\)$/gm)) checks.set(m[1] as string, m[2] as string);
  const starts: number[] = [];
  let from = 0;
  for (const step of SMOKE_STEPS) {
    const i = lines.findIndex((l, n) => n >= from && step.first.test(l));
    if (i < 0) throw new Error(`smoke transcript: no output for ${step.command} after line ${from + 1}`);
    if (starts.length === 0 && i !== 0) throw new Error("smoke transcript: lines before the first command's output");
    starts.push(i);
    from = i + 1;
  }
  return SMOKE_STEPS.map((step, k) => {
    const output = lines.slice(starts[k], k + 1 < starts.length ? starts[k + 1] : lines.length).join("\n");
    let exitCode: number | "non-zero" | undefined;
    if (step.exitCheck) {
      const value = checks.get(step.exitCheck);
      if (value === undefined) throw new Error(`smoke report: no passed check "${step.exitCheck}"`);
      exitCode = step.exitCheck.includes("!= 0") ? (value === "1" ? "non-zero" : 0) : Number(value);
    }
    return { ...step, output, exitCode };
  });
}

/** smoke-commands.log's outputs with their expected texts. */
export function smokeExpectations(log: string, report: string): Array<Expectation & { step: SmokeStep; exitCode?: number | "non-zero" }> {
  return parseSmoke(log, report).map((s) => ({
    command: s.command,
    kind: s.kind,
    step: s,
    exitCode: s.exitCode,
    expected: `${normaliseOutput(s.output, { app: SMOKE_APP, root: RECORDED_ROOT, pushed: s.kind === "push" })}\n${exitLine(s.exitCode)}`,
  }));
}

/**
 * The README rows for one step: its command's rows for its section (those
 * first, in table order), then its command's rows for every step.
 */
export function rowsFor(table: readonly Difference[], command: string, section?: string): Difference[] {
  const forCommand = table.filter((row) => row.step === command);
  const inSection = forCommand.filter((row) => row.section !== undefined && section !== undefined && section.startsWith(row.section));
  return [...inSection, ...forCommand.filter((row) => row.section === undefined)];
}

/**
 * The rows that match no difference in any record: each row must be needed
 * by at least one replay. Every replay checks all records, so removing a
 * replay's need for a row fails both.
 */
export function unusedRows(table: readonly Difference[], expectations: readonly Expectation[]): Difference[] {
  const used = new Set<Difference>();
  for (const e of expectations) {
    const rows = rowsFor(table, e.command, e.section);
    const { unused } = applyDifferences(e.expected, rows);
    for (const row of rows) if (!unused.includes(row)) used.add(row);
  }
  return table.filter((row) => !used.has(row));
}

/**
 * The first place where dokku-ps's text leaves the allowed one (whose ELIDED
 * lines are skipped to the next line that matches), for a readable failure.
 */
export function elidedDiff(allowed: string, actual: string): string {
  const b = actual.split("\n");
  let j = 0;
  let skipping = false;
  for (const line of allowed.split("\n")) {
    if (line === ELIDED) {
      skipping = true;
      continue;
    }
    if (skipping) {
      const k = b.indexOf(line, j);
      if (k < 0) return `  after line ${j}: Dokku (after …) ${JSON.stringify(line)}\n          dokku-ps has no such line further on`;
      j = k + 1;
      skipping = false;
    } else if (b[j] !== line) {
      return `  line ${j + 1}: Dokku   ${JSON.stringify(line)}\n          dokku-ps ${JSON.stringify(b[j])}`;
    } else j++;
  }
  return j < b.length ? `  line ${j + 1}: Dokku   (end)\n          dokku-ps ${JSON.stringify(b[j])}` : "  (the … lines match no way through)";
}

/** The lines that differ, with their neighbours, for a readable failure. */
export function lineDiff(expected: string, actual: string): string {
  const a = expected.split("\n");
  const b = actual.split("\n");
  const out: string[] = [];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] === b[i]) continue;
    out.push(`  line ${i + 1}: Dokku   ${JSON.stringify(a[i])}`, `          dokku-ps ${JSON.stringify(b[i])}`);
    if (out.length > 16) break;
  }
  return out.join("\n");
}

/** The app of core-ps-0.31.5.log and DOKKU_LIB_ROOT of its host. */
export const CORE031_APP = "rdweb";
export const RECORDED_LIB = "/var/lib/dokku";

export type Kind031 = "listing" | "restarts" | "push" | "dokku" | "shell" | "inspect" | "unchecked" | "dropped";

/**
 * How each command of the 0.31.5 records is replayed and compared. `scoped`
 * commands ran over every app of the recording host: their record keeps only
 * this app's part. `unchecked` ones are run (the state they leave is compared
 * by the next listing) but their output is not; `dropped` ones are not run.
 */
export interface Step031 {
  kind: Kind031;
  scoped?: boolean;
  reason?: string;
}

const PLUGN_REASON = "plugn's own stdin behaviour (host/'s plugn is a stand-in; dokku-ps never hands plugn a pipe, see plugn-stdin.test.ts)";

export function classify031(command: string): Step031 {
  if (/^docker ps -a --filter /.test(command)) return { kind: "listing" };
  if (/^docker ps -aq .*\| xargs -r docker inspect /.test(command)) return { kind: "restarts" };
  if (/^git -C \S+ -c protocol\.ext\.allow=always push /.test(command)) return { kind: "push" };
  if (/^dokku ps:inspect \S+ >/.test(command)) return { kind: "inspect" };
  if (/^dokku ps:(start|restart) --all --parallel /.test(command)) {
    return { kind: "unchecked", reason: "parallel runs over every app: the record interleaves other apps' lines by timing" };
  }
  if (command === "dokku ps:report" || command === "dokku apps:list" || command === "dokku ps:restore" || command === "dokku ps:stop --all") {
    return { kind: "dokku", scoped: true };
  }
  if (/^plugn version$|plugn-stdin-repro\.js|rd31-plugn-out\.txt/.test(command)) return { kind: "dropped", reason: PLUGN_REASON };
  if (/^ls -la \S+\/plugins\/available\/ps\/ /.test(command)) {
    return { kind: "dropped", reason: "the plugin's files' types and sizes (Go binaries and their trigger symlinks vs dokku-ps's bundle and shims); their names are compared at the `ls` before" };
  }
  if (command.startsWith("dokku ")) return { kind: "dokku" };
  if (/^(ls|grep|find|cat|git -C \S+ show) /.test(command) || command.startsWith("cd /tmp && node -e ")) {
    return { kind: "shell", scoped: /\/data\/ps\/($| )/.test(command) };
  }
  throw new Error(`unknown recorded command: ${command}`);
}

/**
 * The part of an `--all` (or all-apps) output that is about `app` (already
 * `<app>`): the `-----> Running <x> against app <name>` sections and
 * `=====> <name> ps information` blocks of other apps go, and so do other
 * apps' names in `apps:list` and, for `data/ps/` listings, other apps' lines.
 */
export function scopeToApp(text: string, command: string): string {
  const lines = text.split("\n");
  if (/^ls -laR /.test(command)) {
    // Only the `<lib>/data/ps/<app>:` block (up to the next blank line).
    const at = lines.findIndex((l) => /\/data\/ps\/<app>:$/.test(l));
    if (at < 0) return "";
    const end = lines.findIndex((l, i) => i > at && l === "");
    return lines.slice(at, end < 0 ? lines.length : end).join("\n");
  }
  if (/^find /.test(command)) return lines.filter((l) => /\/data\/ps\/<app>\//.test(l)).join("\n");
  if (command === "dokku apps:list") return lines.filter((l) => l.startsWith("=====> ") || l === "<app>").join("\n");
  if (command === "dokku plugin:list") return lines.filter((l) => /^ +ps +/.test(l)).join("\n");
  const out: string[] = [];
  let keep = true;
  for (const line of lines) {
    const section = /^-----> Running \S+ against app (\S+)$/.exec(line) ?? /^=====> (\S+) ps information$/.exec(line);
    if (section) keep = section[1] === "<app>";
    if (keep) out.push(line);
  }
  return out.join("\n");
}

/**
 * Normalisation for the shell steps (both sides): `ls -l`'s dates, `total`s,
 * directories' sizes and link counts (file-system and git dependent), a
 * symlink's size (its target's length), the padding after the mode, the
 * `..` entry (the parent: DOKKU_ROOT's mode, how many apps the host has), the
 * size of an `ENV` file and its `DOKKU_PROXY_PORT` line (host/ allocates no
 * proxy port, see host/README.md), the pid in core-post-extract's
 * `Procfile.<pid>`; a `git show`'s abbreviated commit; the `stdout lines N` of
 * the stdin check (docker inspect's length, an engine fact).
 */
export function normaliseShell(text: string): string {
  return text
    .split("\n")
    .filter((l) => !/^[d-][rwxst-]{9}\S*\s.* \.\.$/.test(l) && !/\/ENV:DOKKU_PROXY_PORT=/.test(l))
    .map((l) =>
      l
        .replace(/^total \d+$/, "total <n>")
        .replace(/^([dl-][rwxst-]{9}\S*\s+)(\d+)(\s+\S+\s+\S+\s+)(\d+)(\s+)[A-Z][a-z]{2}\s+\d+\s+(\d\d:\d\d|\d{4})(\s)/, (_m, mode, links, owner, size, sp, _t, end) => {
          const dir = mode.startsWith("d");
          // A link's size is its target's length (the tree's root).
          const link = mode.startsWith("l");
          const env = /(^| |\/)ENV$/.test(l);
          // One blank after the mode: ls pads the link counts to the widest, the `..` entry's too.
          return `${mode.trimEnd()} ${dir ? "<n>" : links}${owner}${dir || env || link ? "<size>" : size}${sp}<date>${end}`;
        })
        .replace(/\/Procfile\.\d+\b/, "/Procfile.<pid>")
        .replace(/ Procfile\.\d+$/, " Procfile.<pid>")
        .replace(/^[0-9a-f]{7} /, "<commit> ")
        .replace(/stdout lines \d+/, "stdout lines <n>"),
    )
    .join("\n");
}

/**
 * `ls` of the ps plugin dir as the names Dokku looks up there (triggers,
 * `commands`, `subcommands`, `plugin.toml`): the build's own files are left
 * out: core ps's Go binary `triggers` (every trigger links to it) and its
 * `functions` helper, dokku-ps's bundle `dist`.
 */
export function pluginEntries(text: string): string {
  const own = new Set(["triggers", "functions", "dist"]);
  return text
    .split("\n")
    .filter((l) => !own.has(l))
    .join("\n");
}

/** `docker inspect -f '{{.Name}} restart=… state=…'` lines of the current release's containers, sorted. */
export function normaliseRestarts(text: string, app: string, current: readonly string[]): string {
  return text
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => l.split(app).join("<app>"))
    .filter((l) => current.includes((l.split(" ")[0] as string).replace(/^\//, "")))
    .sort()
    .join("\n");
}

/**
 * ps:inspect's first 40 lines as the record keeps them: values that are the
 * host's and not ps's (the container's hostname, the proxy port, Env entries
 * of HOST_ONLY_ENV that only Dokku's builder and git plugin set) masked or
 * left out; docker inspect's line count (the engine's) as `<n>`.
 */
export function normaliseInspectHead(text: string): string {
  const lines = text
    .split("\n")
    .filter((l) => !/^\s+"(GIT_REV|DOKKU_APP_TYPE|DOKKU_DEFAULT_CHECKS_WAIT|DOKKU_WAIT_TO_RETIRE|DOKKU_PROXY_PORT)=/.test(l))
    .map((l) =>
      l
        .replace(/exit (\d+), \d+ lines, first 40 shown/, "exit $1, <n> lines, first 40 shown")
        // host/ labels no release-stage image (no docker-image-labeler).
        .replace(/^(\s+"com\.dokku\.image-stage": )"[a-z]+"/, '$1"<stage>"'),
    );
  // The Env entries sorted (their order is the scheduler's docker arguments', host/'s own).
  const start = lines.findIndex((l) => /^\s+"Env": \[$/.test(l));
  const end = lines.findIndex((l, i) => i > start && /^\s+\],?$/.test(l));
  if (start >= 0 && end > start) {
    const env = lines.slice(start + 1, end).map((l) => l.replace(/,$/, "")).sort();
    lines.splice(start + 1, env.length, ...env.map((l, i) => (i < env.length - 1 ? `${l},` : l)));
  }
  // The head as both sides surely hold it: 40 lines less the Env entries either may lack.
  const trailer = lines.findIndex((l) => /^\(ps:inspect: exit /.test(l));
  if (trailer > INSPECT_HEAD_KEPT) lines.splice(INSPECT_HEAD_KEPT, trailer - INSPECT_HEAD_KEPT);
  return lines.join("\n");
}

/** ps:inspect's `head -40` less the 5 Env entries normaliseInspectHead leaves out. */
const INSPECT_HEAD_KEPT = 35;

export interface Expectation031 extends Step031 {
  command: string;
  /** The record's last `###` comment before the step. */
  section?: string;
  expected: string;
  step: RecordedStep;
  record: string;
}

/**
 * The 0.31.5 records' steps with their expected texts (the record's, after
 * the same normalisation the host's output gets). Listings keep the current
 * release's containers, known from the record's own renames.
 */
export function core031Expectations(records: Array<[name: string, log: string]>, classify: (command: string) => Step031 = classify031): Expectation031[] {
  const out: Expectation031[] = [];
  let current: string[] = [];
  for (const [record, log] of records) {
    let section: string | undefined;
    for (const step of parseTranscript(log)) {
      section = step.markers.at(-1) ?? section;
      const how = classify(step.command);
      const command = step.command.split(CORE031_APP).join("<app>");
      const expected = expected031(step.output, how, command, CORE031_APP, RECORDED_ROOT, RECORDED_LIB, current);
      const text = how.kind === "listing" || how.kind === "restarts" ? expected : `${expected}\n${exitLine(step.exitCode)}`;
      if (how.kind !== "listing" && how.kind !== "restarts") current = releasedNames(expected) ?? current;
      out.push({ command, ...how, expected: text, step, record, ...(section === undefined ? {} : { section }) });
    }
  }
  return out;
}

/** One output (the record's or the host's) in the comparable form of its step. */
export function expected031(output: string, how: Step031, command: string, app: string, root: string, lib: string, current: readonly string[]): string {
  if (how.kind === "listing") return normaliseListing(output, app, current);
  if (how.kind === "restarts") return normaliseRestarts(output, app, current);
  let text = normaliseOutput(output, { app, root, lib, pushed: how.kind === "push", escapes: true });
  if (how.kind === "inspect") text = normaliseInspectHead(text);
  if (how.kind === "shell") text = normaliseShell(text);
  if (/^ls \S+\/plugins\/available\/ps\/$/.test(command)) text = pluginEntries(text);
  if (how.scoped) text = scopeToApp(text, command);
  return text;
}

/** The machine's and Dokku's own tools, each asked for its version: not ps, and host/ has stand-ins or none. */
const TOOL_VERSION = /^(sigil -v|sshcommand version|procfile-util version|docker-image-labeler version|docker-container-healthchecker version|netrc version|lambda-builder version|docker version |git --version|node --version)/;

/**
 * How each command of the 0.38.27 records is replayed and compared: as the
 * 0.31.5 ones (classify031), and
 * - the `--all --parallel` runs are compared (scoped): no other app existed
 *   on the recording host, so nothing interleaves;
 * - `dokku plugin:list` is compared on its `ps` line only (the other lines
 *   are the other core plugins, host/'s stand-ins);
 * - `ps:retire` is run, not compared: it retires every container and image
 *   the recording host had registered, also of apps destroyed long before
 *   (the state it leaves is compared by the next listings);
 * - the tools' versions are not run, nor the `ls -ld` of the ps plugin's links;
 * - the stdin check through node runs from the work dir (no `cd /tmp`).
 */
export function classify038(command: string): Step031 {
  if (TOOL_VERSION.test(command)) return { kind: "dropped", reason: "the recording machine's tools and their versions, not ps (host/ has stand-ins or none)" };
  if (/^plugn version$|plugn-stdin-repro\.js|rd38-plugn-out\.txt/.test(command)) return { kind: "dropped", reason: PLUGN_REASON };
  if (/^dokku ps:(start|restart) --all --parallel /.test(command)) return { kind: "dokku", scoped: true };
  if (command === "dokku plugin:list") return { kind: "dokku", scoped: true };
  if (command === "dokku ps:retire; echo $?") {
    return { kind: "unchecked", reason: "retires every container and image the recording host had registered, also of apps long destroyed" };
  }
  if (command.startsWith("node -e ")) return { kind: "shell" };
  if (/^ls -ld \S+\/plugins\/available\/ps /.test(command)) {
    return {
      kind: "dropped",
      reason:
        "how the recording host's ps is laid out: core ps built from source (its dirs' modes are the build's, not the package's), and where dokku-ps's install.sh puts itself (a plugin dir, core ps kept for --uninstall); the dir's names and plugin.toml are compared by the steps before",
    };
  }
  return classify031(command);
}

/** The app of core-ps-0.38.27.log. */
export const CORE038_APP = "rdweb";

/** The 0.38.27 records' steps with their expected texts (as core031Expectations, with classify038). */
export function core038Expectations(records: Array<[name: string, log: string]>): Expectation031[] {
  return core031Expectations(records, classify038);
}

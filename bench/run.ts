/**
 * `npm run bench`: speed and limits of dokku-ps, each figure a ratio against
 * a baseline measured in this same run, on the embedded host and the real
 * Docker engine. Every figure runs on a Dokku 0.24.10 host and on a Dokku
 * 0.31.5 host (core ps 0.31.5's contract, the one dokku-ps speaks on
 * 0.30–0.38), one host after the other; each line is tagged with its host's
 * version. Prints one line per figure and exits non-zero when a target is
 * missed (or a version's run fails). See the "Benchmarks" docs (README,
 * moving to docs/benchmarks.md) for what each figure means; the comment of
 * each bench function says how its figure reads on 0.31.5.
 *
 *   BENCH_ONLY=P1,P2  npm run bench                 # a subset of figures
 *   BENCH_HOST_VERSIONS=0.31.5  npm run bench       # one host (default 0.24.10,0.31.5)
 *
 * Fewer repetitions, for checking the code paths on a busy machine (the
 * lines then say "reduced"; not figures to quote):
 *   BENCH_P1_RUNS (21)  BENCH_P2_RUNS (11)  BENCH_P3_RUNS (9)
 *   BENCH_P4_RUNS (1)   BENCH_P4_APPS (20)  BENCH_P4_CHECKS_WAIT (10, s)
 *   BENCH_P5_RUNS (11)
 * BENCH_P2_0_31=probe|run|skip: P2 on a 0.31.5 host (see benchExtraction).
 */
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { execa } from "execa";
import { BASE_IMAGE, DOKKU, Host, commitFiles, dokkuUser, workTree } from "../test/integration/harness.ts";
import { renderFigure, passes, summarize, type Figure } from "./stats.ts";
import { tempDir } from "../test/temp.ts";

const only = (process.env["BENCH_ONLY"] ?? "").split(",").filter(Boolean);
const wanted = (id: string) => only.length === 0 || only.includes(id);

/**
 * The hosts every figure runs on, in this order: 0.24.10's ps contract, core
 * ps 0.31.5's, and core ps 0.38.27's (today's Dokku: per-container
 * `ps-get-property` and `docker-args-process-deploy`, the image read in
 * post-release-builder).
 */
const KNOWN_VERSIONS = ["0.24.10", "0.31.5", "0.38.27"];
const versions = (process.env["BENCH_HOST_VERSIONS"] || KNOWN_VERSIONS.join(",")).split(",").map((v) => v.trim().replace(/^v/, "")).filter(Boolean);
for (const v of versions) {
  if (!KNOWN_VERSIONS.includes(v)) throw new Error(`BENCH_HOST_VERSIONS: ${v} is not one of ${KNOWN_VERSIONS.join(", ")}`);
}

/**
 * P2 on a 0.31.5 host: BENCH_P2_0_31 = "probe" (default) runs it when the
 * probe sees pre-deploy read the image, "run" always, "skip" never.
 */
const P2_ON_031 = process.env["BENCH_P2_0_31"] || "probe";
if (!["probe", "run", "skip"].includes(P2_ON_031)) throw new Error(`BENCH_P2_0_31=${P2_ON_031}: probe, run or skip`);

/** A repetition count from the environment; `reduced` notes any count below the default. */
const reductions: string[] = [];
function count(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text === "") return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name}=${text}: a whole number ≥ 1 is needed`);
  if (n < fallback) reductions.push(`${name}=${n}`);
  return n;
}
const reduced = (names: string[]) => (names.some((n) => reductions.some((r) => r.startsWith(`${n}=`))) ? " [reduced]" : "");

const figures: Figure[] = [];
const skipped: string[] = [];
const errors: string[] = [];
const report = (f: Figure) => {
  const tagged = { ...f, host: version };
  figures.push(tagged);
  console.log(renderFigure(tagged));
};
/** A figure that does not run on this host: said, with why, never left out silently. */
const skip = (id: string, why: string) => {
  skipped.push(`[${version}] ${id}`);
  console.log(`[${version}] ${id.padEnd(4)} skipped: ${why}`);
};

/**
 * Plugin executables run as the Dokku user, as Dokku runs them: spawned with
 * its uid/gid (no re-exec in what is timed). Node drops supplementary groups
 * then, so what needs the engine (docker group) goes through setpriv.
 */
const asDokku = () => dokkuUser();
const SETPRIV = ["setpriv", "--reuid=dokku", "--regid=dokku", "--init-groups"];

/**
 * Wall time of one process run, in ms (spawnSync: the least overhead we can
 * add), as the Dokku user. `dokku` itself starts as that user with its groups
 * (docker), as `ssh dokku@host <command>` runs it; plugin executables get the
 * user's uid/gid directly (they need no engine).
 */
function timeRun(cmd: string, args: string[], env: NodeJS.ProcessEnv): number {
  const [file, argv, user] = cmd === DOKKU ? [SETPRIV[0] as string, [...SETPRIV.slice(1), cmd, ...args], {}] : [cmd, args, { uid: asDokku().uid, gid: asDokku().gid }];
  const start = performance.now();
  const r = spawnSync(file, argv, { env, ...user, stdio: ["ignore", "ignore", "pipe"] });
  const ms = performance.now() - start;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (${r.status}): ${r.stderr}`);
  return ms;
}

async function sh(cmd: string, args: string[], env?: Record<string, string>): Promise<string> {
  const r = await execa(cmd, args, { env, reject: false });
  if (r.exitCode !== 0) throw new Error(`${cmd} ${args.join(" ")}: ${r.stderr}`);
  return String(r.stdout);
}

/**
 * The bench's own scratch files (removed at exit, test/temp.ts); sticky and
 * world-writable like /tmp, since plugn writes its timing log there as the Dokku user.
 */
const scratch = tempDir("dokku-ps-bench-");
chmodSync(scratch, 0o1777);

/** The host of the version being measured (one at a time: they would compete for the 2 CPUs). */
let version = "";
let host: Host;
let plugin = "";
let env: Record<string, string> = {};
/** True on a host speaking core ps 0.31.5's contract (formation in the `scale` property). */
const on031 = () => version !== "0.24.10";

const took: string[] = [];
for (const v of versions) {
  version = v;
  const versionStart = performance.now();
  const phases: string[] = [];
  const phase = async (id: string, fn: () => Promise<void>) => {
    if (!wanted(id)) return;
    const start = performance.now();
    await fn();
    phases.push(`${id} ${((performance.now() - start) / 1000).toFixed(0)} s`);
  };
  console.log(`\n== Dokku ${v} host`);
  host = await Host.create({ version: v });
  plugin = join(host.lib, "plugins", "enabled", "ps");
  env = host.env();
  try {
    await phase("P1", benchColdStart);
    await phase("P2", benchExtraction);
    await phase("P3", benchReport);
    await phase("P4", benchRestartAll);
    await phase("P5", benchPushOverhead);
  } catch (error) {
    // The other version still runs; the bench fails.
    errors.push(`[${v}] ${(error as Error).message}`);
    console.log(`[${v}] error: ${(error as Error).stack ?? error}`);
  } finally {
    await host.destroy();
  }
  took.push(`[${v}] ${((performance.now() - versionStart) / 1000).toFixed(0)} s (${phases.join(", ") || "no figure"})`);
}

const failed = figures.filter((f) => !passes(f));
console.log(`\nbench: ${figures.length - failed.length} of ${figures.length} figures ok${skipped.length ? `, ${skipped.length} skipped (${skipped.join(", ")})` : ""}${errors.length ? `, ${errors.length} host run(s) failed` : ""}`);
for (const f of failed) console.log(`  FAIL ${renderFigure(f)}`);
for (const e of errors) console.log(`  error ${e}`);
if (reductions.length) console.log(`  reduced repetitions (${[...new Set(reductions)].join(" ")}): not figures to quote`);
console.log(`bench time: ${took.join("; ")}`);
process.exit(failed.length || errors.length ? 1 : 0);

/**
 * P1: no-Docker triggers and subcommands vs a bare `node -e 0`. Each run of
 * a case is paired with a baseline run just before it and the ratio is the
 * median of the pairs' ratios: this machine's load drifts (bursts of tens
 * of ms), and a pair sees the same drift.
 *
 * 0.31.5: the same figure and target (a Node process's start is what is
 * measured, whatever the contract), over that Dokku's own no-Docker ps
 * triggers. `docker-args-process-deploy` is not one (core ps has it from
 * 0.38.9 on; on 0.31.5 the executable is not installed): in its place
 * `ps-can-scale`, `procfile-exists` and `procfile-get-command` (which a
 * 0.31.5 push fires per container), on an app whose deployed Procfile copy
 * (data/ps/<app>/Procfile) is there. `ps-current-scale`, `procfile-exists`
 * and `procfile-get-command` are answered by the shell there
 * (scripts/fast-paths.sh), so their executables' lines show the shell's
 * time; each also gets an `(entry)` line, the bundled entry run as the
 * shell hands over to it (`node dist/ps.cjs trigger …`), which is the
 * cold start this figure is about.
 */
async function benchColdStart(): Promise<void> {
  const app = await host.createApp("p1");
  const trigger = (name: string, args: string[]): [string, string, string[]] => [`trigger ${name}`, join(plugin, name), args];
  const entry = (name: string, args: string[]): [string, string, string[]] => [`trigger ${name} (entry)`, process.execPath, [join(plugin, "dist", "ps.cjs"), "trigger", name, ...args]];
  // The triggers the shell answers on this Dokku (scripts/fast-paths.sh): their
  // figure's target is to stay under a bare `node -e 0`; the entry's own
  // line (the cold start the shell hands over to) keeps the 1.25 target.
  const fast = new Set(host.contract.fastPathTriggers);
  const common: Array<[string, string, string[]]> = [
    ["ps:report --ps-restart-policy", join(plugin, "subcommands", "report"), ["ps:report", app, "--ps-restart-policy"]],
    ["ps:set restart-policy", join(plugin, "subcommands", "set"), ["ps:set", app, "restart-policy", "on-failure:10"]],
  ];
  let cases: Array<[string, string, string[]]>;
  if (on031()) {
    host.seedFile(join(host.lib, "data", "ps", app, "Procfile"), "web: sleep 86400\nworker: sleep 86400\n");
    // 0.36+'s scheduler asks ps per container: ps-get-property (the stop
    // timeout on every deploy, stop and retire; the restart policy), and
    // from 0.38.9 docker-args-process-deploy (the `--restart=` option).
    const perContainer038: Array<[string, string, string[]]> = [];
    if (host.contract.triggers.includes("ps-get-property")) {
      perContainer038.push(trigger("ps-get-property", [app, "stop-timeout-seconds"]), entry("ps-get-property", [app, "stop-timeout-seconds"]));
    }
    if (host.contract.triggers.includes("docker-args-process-deploy")) {
      perContainer038.push(trigger("docker-args-process-deploy", [app, "dockerfile", "latest", "web", "1"]), entry("docker-args-process-deploy", [app, "dockerfile", "latest", "web", "1"]));
    }
    cases = [
      ...perContainer038,
      trigger("ps-current-scale", [app]),
      entry("ps-current-scale", [app]),
      trigger("post-create", [app]),
      trigger("ps-can-scale", [app, "true"]),
      trigger("procfile-exists", [app]),
      entry("procfile-exists", [app]),
      trigger("procfile-get-command", [app, "web", "5000"]),
      entry("procfile-get-command", [app, "web", "5000"]),
      ...common,
    ];
  } else {
    cases = [
      trigger("ps-current-scale", [app]),
      trigger("post-create", [app]),
      trigger("docker-args-process-deploy", [app, "dockerfile", "latest", "web", "1"]),
      ...common,
    ];
  }
  const runs = count("BENCH_P1_RUNS", 21);
  const baseline = cases.map(() => [] as number[]);
  const samples = cases.map(() => [] as number[]);
  for (const [, cmd, args] of cases) timeRun(cmd, args, env); // warm the page cache
  timeRun(process.execPath, ["-e", "0"], env);
  for (let i = 0; i < runs; i++) {
    cases.forEach(([, cmd, args], k) => {
      baseline[k]?.push(timeRun(process.execPath, ["-e", "0"], env));
      samples[k]?.push(timeRun(cmd, args, env));
    });
  }
  cases.forEach(([what], k) => {
    const ours = samples[k] as number[];
    const base = baseline[k] as number[];
    const ratio = summarize(ours.map((ms, i) => ms / (base[i] as number))).median;
    const shellAnswered = what.startsWith("trigger ") && !what.endsWith("(entry)") && fast.has(what.slice("trigger ".length));
    report({ id: "P1", what: `${what}${shellAnswered ? " [shell]" : ""} (ratio: median of ${runs} paired runs)${reduced(["BENCH_P1_RUNS"])}`, value: summarize(ours), valueUnit: "ms", baseline: { what: "node -e 0", sample: summarize(base) }, ratio, target: shellAnswered ? { op: "<", value: 1 } : { op: "<=", value: 1.25 } });
  });
}

/** Builds `dokku/<app>:latest` with Procfile, DOKKU_SCALE and app.json under /app, plus `padMiB` of data. */
async function buildBenchImage(app: string, padMiB: number, scale = "web=1\nworker=2\n"): Promise<void> {
  const dir = tempDir("dokku-ps-bench-img-");
  writeFileSync(join(dir, "Procfile"), "web: sleep 86400\nworker: sleep 86400\n");
  writeFileSync(join(dir, "DOKKU_SCALE"), scale);
  writeFileSync(join(dir, "app.json"), JSON.stringify({ formation: { web: { quantity: 1 } } }));
  const pad = padMiB > 0 ? `RUN dd if=/dev/urandom of=/pad.bin bs=1M count=${padMiB} 2>/dev/null\n` : "";
  writeFileSync(join(dir, "Dockerfile"), `FROM ${BASE_IMAGE}\n${pad}WORKDIR /app\nCOPY . /app\nCMD ["sleep", "86400"]\n`);
  await sh("docker", ["build", "-q", "--network=none", "-t", `dokku/${app}:latest`, dir]);
  rmSync(dir, { recursive: true, force: true });
}

/** Dokku 0.24's way: per file, `docker container create` + `cp` + `rm --force` with the CLI. */
function dokkuWayExtraction(app: string, out: string): number {
  const start = performance.now();
  for (const file of ["Procfile", "DOKKU_SCALE", "app.json"]) {
    const create = spawnSync("docker", ["container", "create", "--label", `com.dokku.app-name=${app}`, "--label=dokku", `dokku/${app}:latest`], { encoding: "utf8" });
    const id = create.stdout.trim();
    spawnSync("docker", ["container", "cp", `${id}:/app/${file}`, join(out, file)]);
    spawnSync("docker", ["container", "rm", "--force", id], { stdio: "ignore" });
  }
  return performance.now() - start;
}

/**
 * Our way: the installed pre-deploy trigger (node start included), with its
 * peak RSS. What an earlier run read from the same image ID is forgotten
 * first: a deploy always brings a new image, so every run reads it.
 */
function ourExtraction(app: string): { ms: number; rssMiB: number } {
  const timeFile = join(scratch, "time");
  rmSync(join(host.lib, "data", "ps", app, "image-files.json"), { force: true });
  const start = performance.now();
  // The trigger in which this Dokku's ps reads the image (0.35+: post-release-builder, which has no pre-deploy).
  const trigger = host.contract.imageScaleTrigger;
  const args = trigger === "pre-deploy" ? [app, "latest"] : ["dockerfile", app, `dokku/${app}:latest`];
  const r = spawnSync("/usr/bin/time", ["-f", "%M", "-o", timeFile, ...SETPRIV, join(plugin, trigger), ...args], { env: { ...env, DOKKU_QUIET_OUTPUT: "1" }, stdio: ["ignore", "ignore", "pipe"] });
  const ms = performance.now() - start;
  if (r.status !== 0) throw new Error(`${trigger} failed: ${r.stderr}`);
  const rssKiB = Number(readFileSync(timeFile, "utf8").trim().split("\n").pop());
  return { ms, rssMiB: rssKiB / 1024 };
}

/**
 * Whether this host's pre-deploy reads the image: pre-deploy of an image
 * with Procfile, DOKKU_SCALE (web=1 worker=2) and app.json, then either
 * the kept record of the image's texts (data/ps/<app>/image-files.json) or
 * the image's DOKKU_SCALE in the app's formation (`worker=2` in
 * ps-current-scale's answer).
 */
async function preDeployReadsImage(): Promise<{ reads: boolean; seen: string }> {
  const app = await host.createApp("p2probe");
  await buildBenchImage(app, 0);
  ourExtraction(app);
  const kept = existsSync(join(host.lib, "data", "ps", app, "image-files.json"));
  const scale = spawnSync(join(plugin, "ps-current-scale"), [app], { env, uid: asDokku().uid, gid: asDokku().gid, encoding: "utf8" }).stdout.trim().replace(/\n/g, " ");
  await host.dokku("apps:destroy", app, "--force");
  return { reads: kept || /\bworker=2\b/.test(scale), seen: `${kept ? "data/ps/<app>/image-files.json written" : "no data/ps/<app>/image-files.json"}, formation after it: ${scale || "(empty)"}` };
}

/**
 * P2 / P2m: DOKKU_SCALE + Procfile + app.json out of a 2 MiB and a 512 MiB image.
 *
 * 0.31.5: this figure measures something that dokku-ps does not do there
 * yet. core ps 0.31.5 reads the Procfile (and app-json the app.json) from
 * the pushed source in core-post-extract, and ignores a DOKKU_SCALE (0.30
 * removed it); dokku-ps's 0.31.5 pre-deploy only adds the Procfile's types
 * to the `scale` property (triggers/scale-property.ts refreshScale), and its
 * core-post-extract reads an image only for an app whose git property
 * `source-image` is set (git:from-image on real Dokku), which the host's
 * git plugin does not give. So on 0.31.5 nothing of a push reads the
 * image, and P2 is skipped with the probe's findings printed. Once
 * pre-deploy reads DOKKU_SCALE from the image on 0.31.5 (planned), the probe
 * sees it and P2 runs there with the same baseline and targets (if it then
 * reads fewer than the three files, give the baseline the same files).
 */
async function benchExtraction(): Promise<void> {
  if (on031() && P2_ON_031 !== "run") {
    if (P2_ON_031 === "skip") return skip("P2", "BENCH_P2_0_31=skip");
    const probe = await preDeployReadsImage();
    if (!probe.reads) {
      return skip(
        "P2",
        `nothing reads the image on ${version}: core ps reads the Procfile from the pushed source (core-post-extract) and no DOKKU_SCALE; ` +
          `dokku-ps's pre-deploy here read nothing from a test image (${probe.seen}). BENCH_P2_0_31=run forces it`,
      );
    }
    console.log(`[${version}] P2   probe: pre-deploy reads the image here (${probe.seen}): P2 runs`);
  }
  const small = await host.createApp("p2s");
  const big = await host.createApp("p2b");
  await buildBenchImage(small, 0);
  await buildBenchImage(big, 512);
  const sizes = await sh("docker", ["image", "inspect", "-f", "{{.Size}}", `dokku/${small}:latest`, `dokku/${big}:latest`]);
  const [smallBytes, bigBytes] = sizes.split("\n").map(Number);
  console.log(`[${version}] P2   images: ${(Number(smallBytes) / 2 ** 20).toFixed(1)} MiB and ${(Number(bigBytes) / 2 ** 20).toFixed(1)} MiB`);
  const out = tempDir("dokku-ps-bench-cp-");
  ourExtraction(small);
  ourExtraction(big);
  dokkuWayExtraction(small, out);
  const runs = count("BENCH_P2_RUNS", 11);
  const r = reduced(["BENCH_P2_RUNS"]);
  const dokku: number[] = [];
  const oursSmall: number[] = [];
  const oursBig: number[] = [];
  const rssSmall: number[] = [];
  const rssBig: number[] = [];
  for (let i = 0; i < runs; i++) {
    dokku.push(dokkuWayExtraction(small, out));
    const s = ourExtraction(small);
    oursSmall.push(s.ms);
    rssSmall.push(s.rssMiB);
    const b = ourExtraction(big);
    oursBig.push(b.ms);
    rssBig.push(b.rssMiB);
  }
  rmSync(out, { recursive: true, force: true });
  const d = summarize(dokku);
  const os = summarize(oursSmall);
  const ob = summarize(oursBig);
  report({ id: "P2", what: `extraction, 2 MiB image, ${host.contract.imageScaleTrigger} trigger vs Dokku's create+cp+rm per file${r}`, value: os, valueUnit: "ms", baseline: { what: "docker CLI ×3 files", sample: d }, ratio: os.median / d.median, target: { op: "<=", value: 0.6 } });
  report({ id: "P2", what: `extraction flat in image size, 512 MiB vs 2 MiB image${r}`, value: ob, valueUnit: "ms", baseline: { what: "same, 2 MiB image", sample: os }, ratio: ob.median / os.median, target: { op: "<=", value: 1.15 } });
  const rs = summarize(rssSmall);
  const rb = summarize(rssBig);
  // Expressed as a ratio so it prints like the others: (big - small) / 10 MiB must be <= 1.
  report({ id: "P2m", what: `peak RSS of extraction, 512 MiB image (target: ≤ 2 MiB image's + 10 MiB)${r}`, value: rb, valueUnit: "MiB", baseline: { what: "2 MiB image", sample: rs }, ratio: (rb.max - rs.min) / 10, target: { op: "<=", value: 1 } });
}

/** Untimed set-up work, two at a time (the machine's 2 CPUs): the results in index order. */
async function twoAtATime<T>(n: number, fn: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(n);
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const i = next++;
      out[i] = await fn(i);
    }
  };
  await Promise.all([worker(), worker()]);
  return out;
}

/** Marks an app deployed with `containers` running containers written to CONTAINER.web.<n>. */
async function fakeDeploy(app: string, containers: number): Promise<string[]> {
  const ids: string[] = [];
  for (let n = 1; n <= containers; n++) {
    const id = (
      await sh("docker", [
        "run", "-d", "--init",
        `--label=com.dokku.app-name=${app}`, "--label=com.dokku.container-type=deploy",
        "--label=com.dokku.process-type=web", `--label=com.dokku.dyno=web.${n}`, "--label=dokku",
        `--name=${app}.web.${n}`, BASE_IMAGE, "sleep", "86400",
      ])
    ).trim();
    host.seedFile(join(host.home, app, `CONTAINER.web.${n}`), `${id}\n`);
    ids.push(id);
  }
  // The formation where this Dokku keeps it: 0.24 DOKKU_SCALE, 0.31 the ps property `scale`.
  if (on031()) host.seedFile(join(host.lib, "config", "ps", app, "scale"), `web=${containers}\n`, 0o600);
  else host.seedFile(join(host.home, app, "DOKKU_SCALE"), `web=${containers}\n`, 0o600);
  host.seedFile(join(host.lib, "config", "common", app, "deployed"), "true", 0o600);
  return ids;
}

/**
 * P3: `ps:report` over 50 deployed apps (2 containers each) vs one `docker inspect` per container.
 *
 * 0.31.5: the same figure and target. The report is the same question
 * (each app's rows and each container's state), and core ps 0.31.5 also
 * asks the engine once per container (its report's running state,
 * common.ContainerIsRunning per container id), so the baseline stands. The seeded formation is in
 * the `scale` property there (fakeDeploy).
 */
async function benchReport(): Promise<void> {
  const ids: string[] = [];
  const perApp = await twoAtATime(50, async (i) => fakeDeploy(await host.createApp(`p3-${String(i).padStart(2, "0")}`), 2));
  ids.push(...perApp.flat());
  const dokkuWay = () => {
    const start = performance.now();
    for (const id of ids) spawnSync("docker", ["container", "inspect", "--format", "{{.State.Status}}", id], { stdio: "ignore" });
    return performance.now() - start;
  };
  const ours = () => timeRun(DOKKU, ["ps:report"], env);
  ours();
  const runs = count("BENCH_P3_RUNS", 9);
  const base: number[] = [];
  const mine: number[] = [];
  for (let i = 0; i < runs; i++) {
    base.push(dokkuWay());
    mine.push(ours());
  }
  const b = summarize(base);
  const m = summarize(mine);
  report({ id: "P3", what: `ps:report, 50 apps × 2 containers (speed-up over Dokku's per-container inspect)${reduced(["BENCH_P3_RUNS"])}`, value: m, valueUnit: "ms", baseline: { what: "100 × docker container inspect", sample: b }, ratio: b.median / m.median, target: { op: ">=", value: 10 } });
}

/**
 * P4: `ps:restart --all --parallel -1` vs `--parallel 1` over 20 deployed apps.
 *
 * 0.31.5: the same figure and target. A restart there deploys the running
 * image without a release (`deploy <app> <tag>`: no pre-deploy, no image
 * read), so each restart has less CPU work around the same checks wait;
 * the figure still says what running the apps' restarts side by side gains.
 * The retire wait is 0.31's `checks` property (Host.create sets it), read
 * back as the computed value; the scheduler then retires inline too.
 */
async function benchRestartAll(): Promise<void> {
  // The apps of the figures before (if any) would join --all: start from a clean host for this figure.
  const earlier = readdirSync(host.home).filter((a) => /^p[1-3]/.test(a));
  await twoAtATime(earlier.length, (i) => host.dokku("apps:destroy", earlier[i] as string, "--force"));
  const appCount = count("BENCH_P4_APPS", 20);
  const checksWait = count("BENCH_P4_CHECKS_WAIT", 10);
  const r = reduced(["BENCH_P4_APPS", "BENCH_P4_CHECKS_WAIT", "BENCH_P4_RUNS"]);
  // A restart is mostly waiting for the new container to pass its checks:
  // Dokku waits DOKKU_DEFAULT_CHECKS_WAIT = 10 s by default (the host's own
  // default of 1 s is a test-speed shortcut; 0.31.5's healthchecker waits
  // the same variable's seconds; 0.38 reads the checks property
  // `default-wait` instead, which its checks install moved the variable to).
  // One web container per app.
  const setChecksWait = async (seconds: number) => {
    if (host.is038) host.seedFile(join(host.lib, "config", "checks", "--global", "default-wait"), String(seconds), 0o600);
    else await host.dokku("config:set", "--global", `DOKKU_DEFAULT_CHECKS_WAIT=${seconds}`);
  };
  await setChecksWait(checksWait);
  // Old containers retire inline, inside the timed restart, with a retire
  // wait of 0 (Host.create sets it: DOKKU_WAIT_TO_RETIRE on 0.24, the
  // checks property wait-to-retire on 0.31): no detached retire job
  // outlives the figure to run its docker calls during the next one, so
  // there is nothing to wait for or stop afterwards (and nothing is ever
  // stopped by name: test/no-kill-by-name.test.ts).
  const seed = await host.createApp("p4-seed");
  const retireWait = on031()
    ? await host.dokku("checks:report", seed, "--checks-computed-wait-to-retire")
    : await host.dokku("config:get", "--global", "DOKKU_WAIT_TO_RETIRE");
  if (retireWait.stdout.trim() !== "0") throw new Error(`P4 needs a retire wait of 0, the host has ${JSON.stringify(retireWait.stdout.trim())}`);
  await buildBenchImage(seed, 0, "web=1\n");
  const apps: string[] = [];
  apps.push(
    ...(await twoAtATime(appCount, async (i) => {
      const app = await host.createApp(`p4-${String(i).padStart(2, "0")}`);
      const deployed = await host.dokku("git:from-image", app, `dokku/${seed}:latest`);
      if (deployed.code !== 0) throw new Error(`git:from-image ${app}: ${deployed.stderr}`);
      return app;
    })),
  );
  await host.dokku("apps:destroy", seed, "--force");
  const runs = count("BENCH_P4_RUNS", 1);
  const serial: number[] = [];
  const parallel: number[] = [];
  // Each timed run must have restarted every app (a new web container each), or its time says nothing.
  const webIds = () => apps.map((app) => readFileSync(join(host.home, app, "CONTAINER.web.1"), "utf8").trim());
  const restarted = (what: string, ms: number): number => {
    const now = webIds();
    const same = apps.filter((_, k) => now[k] === before[k]);
    if (same.length) throw new Error(`P4: ps:restart --all ${what} left ${same.length} of ${apps.length} apps on their old container (${same.join(", ")})`);
    before = now;
    return ms;
  };
  let before = webIds();
  for (let i = 0; i < runs; i++) {
    serial.push(restarted("--parallel 1", timeRun(DOKKU, ["ps:restart", "--all", "--parallel", "1"], env)));
    parallel.push(restarted("--parallel -1", timeRun(DOKKU, ["ps:restart", "--all", "--parallel", "-1"], env)));
  }
  const s = summarize(serial.map((ms) => ms / 1000));
  const p = summarize(parallel.map((ms) => ms / 1000));
  report({ id: "P4", what: `ps:restart --all --parallel -1, ${appCount} apps, checks wait ${checksWait} s (speed-up over --parallel 1)${r}`, value: p, valueUnit: "s", baseline: { what: "--parallel 1", sample: s }, ratio: s.median / p.median, target: { op: ">=", value: 1.7 } });
  await twoAtATime(apps.length, (i) => host.dokku("apps:destroy", apps[i] as string, "--force"));
  await setChecksWait(0);
}

/**
 * P5: wall time of all ps processes during one `git push` deploy: each
 * trigger (plugn's timing log) and each call of ps's `commands` file (the
 * host's dispatch asks every plugin about `git-hook`).
 *
 * 0.31.5: the same budget and the same push (Dockerfile, Procfile web +
 * worker, DOKKU_SCALE web=1 worker=1, two containers); the hooks differ:
 * core-post-extract (the Procfile from the source), app-json's
 * ps-can-scale, pre-deploy (the image's DOKKU_SCALE, read through the
 * engine as on 0.24), procfile-exists, ps-current-scale and
 * procfile-get-command per type and container (answered by the shell,
 * scripts/fast-paths.sh), core-post-deploy. worker=1 is also set with
 * `ps:scale --skip-deploy` first (from before dokku-ps read DOKKU_SCALE on
 * 0.30+; the image's DOKKU_SCALE rules from the first push on). The timing
 * log is the same on both hosts (host/lib/timing.bash, from bin/plugn and
 * bin/dokku, which every version's host runs); a push whose log has no ps
 * line fails the figure. A 0.31.5 push starts Node 3 times (0.24's once):
 * core-post-extract, ps-can-scale and pre-deploy (core-post-deploy's file
 * steps are the shell's; the entry runs only to set DOKKU_APP_RESTORE on a
 * first deploy).
 */
async function benchPushOverhead(): Promise<void> {
  const app = await host.createApp("p5");
  const src = await workTree({
    Dockerfile: `FROM ${BASE_IMAGE}\nWORKDIR /app\nCOPY . /app\nCMD ["sleep", "86400"]\n`,
    Procfile: "web: sleep 86400\nworker: sleep 86400\n",
    DOKKU_SCALE: "web=1\nworker=1\n",
  });
  if (on031()) {
    const scaled = await host.dokku("ps:scale", "--skip-deploy", app, "worker=1");
    if (scaled.code !== 0) throw new Error(`ps:scale --skip-deploy ${app} worker=1: ${scaled.stderr}`);
  }
  const runs = count("BENCH_P5_RUNS", 11);
  const psSeconds: number[] = [];
  const pushSeconds: number[] = [];
  /** Per hook, per push: its calls' seconds summed, and how many calls. */
  const perHook = new Map<string, Array<{ s: number; calls: number }>>();
  for (let i = 0; i < runs; i++) {
    if (i > 0) await commitFiles(src, { "bump.txt": String(i) });
    const log = join(scratch, `plugn-${i}`);
    const start = performance.now();
    const r = await host.push(app, src, { PLUGN_TIMING_LOG: log });
    pushSeconds.push((performance.now() - start) / 1000);
    if (r.code !== 0) throw new Error(`push failed: ${r.stderr}`);
    const lines = readFileSync(log, "utf8").trim().split("\n").map((l) => l.split(" "));
    const ours = lines.filter(([plugin]) => plugin === "ps");
    if (ours.length === 0) throw new Error(`P5: the timing log of push ${i + 1} has no ps line (${lines.length} lines): is the host's timing log still written?`);
    psSeconds.push(ours.reduce((sum, [, , s]) => sum + Number(s), 0));
    const byHook = new Map<string, { s: number; calls: number }>();
    for (const [, hook, s] of ours) {
      const seen = byHook.get(hook!) ?? { s: 0, calls: 0 };
      byHook.set(hook!, { s: seen.s + Number(s), calls: seen.calls + 1 });
    }
    for (const [hook, t] of byHook) perHook.set(hook, [...(perHook.get(hook) ?? []), t]);
    rmSync(log, { force: true });
  }
  const running = await host.dokku("ps:report", app, "--processes");
  const ps = summarize(psSeconds);
  const push = summarize(pushSeconds);
  // Where the time goes: each hook's median (summed over its calls in one push), in the order first seen.
  const breakdown = [...perHook].map(([hook, t]) => {
    const calls = Math.max(...t.map((c) => c.calls));
    return `${hook}${calls > 1 ? ` ×${calls}` : ""} ${(summarize(t.map((c) => c.s)).median * 1000).toFixed(0)} ms`;
  });
  console.log(`[${version}] P5   ps hooks in one push (median each, ${running.stdout.trim() || "?"} containers): ${breakdown.join(", ")}`);
  report({ id: "P5", what: `time ps adds to one git push (all its hooks and commands calls summed), s; ratio vs the 0.5 s budget${reduced(["BENCH_P5_RUNS"])}`, value: ps, valueUnit: "s", baseline: { what: "whole push", sample: push }, ratio: ps.median / 0.5, target: { op: "<=", value: 1 } });
}

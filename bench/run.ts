/**
 * `npm run bench`: speed and limits of dokku-ps, each figure a ratio against
 * a baseline measured in this same run, on the embedded host and the real
 * Docker engine. Prints one line per figure and exits non-zero when a
 * target is missed. See README "Benchmarks" for what each figure means.
 *
 *   BENCH_ONLY=P1,P2  npm run bench     # a subset
 */
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { execa } from "execa";
import { BASE_IMAGE, DOKKU, Host, commitFiles, dokkuUser, workTree } from "../test/integration/harness.ts";
import { renderFigure, passes, summarize, type Figure } from "./stats.ts";
import { tempDir } from "../test/temp.ts";

const only = (process.env["BENCH_ONLY"] ?? "").split(",").filter(Boolean);
const wanted = (id: string) => only.length === 0 || only.includes(id);
const figures: Figure[] = [];
const report = (f: Figure) => {
  figures.push(f);
  console.log(renderFigure(f));
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

const host = await Host.create();
/**
 * The bench's own scratch files (removed at exit, test/temp.ts); sticky and
 * world-writable like /tmp, since plugn writes its timing log there as the Dokku user.
 */
const scratch = tempDir("dokku-ps-bench-");
chmodSync(scratch, 0o1777);
const plugin = join(host.lib, "plugins", "enabled", "ps");
const env = host.env();

try {
  if (wanted("P1")) await benchColdStart();
  if (wanted("P2")) await benchExtraction();
  if (wanted("P3")) await benchReport();
  if (wanted("P4")) await benchRestartAll();
  if (wanted("P5")) await benchPushOverhead();
} finally {
  await host.destroy();
}

const failed = figures.filter((f) => !passes(f));
console.log(`\nbench: ${figures.length - failed.length} of ${figures.length} figures ok`);
process.exit(failed.length ? 1 : 0);

/**
 * P1: no-Docker triggers and subcommands vs a bare `node -e 0`. Each run of
 * a case is paired with a baseline run just before it and the ratio is the
 * median of the pairs' ratios: this machine's load drifts (bursts of tens
 * of ms), and a pair sees the same drift.
 */
async function benchColdStart(): Promise<void> {
  const app = await host.createApp("p1");
  const cases: Array<[string, string, string[]]> = [
    ["trigger ps-current-scale", join(plugin, "ps-current-scale"), [app]],
    ["trigger post-create", join(plugin, "post-create"), [app]],
    ["trigger docker-args-process-deploy", join(plugin, "docker-args-process-deploy"), [app, "dockerfile", "latest", "web", "1"]],
    ["ps:report --ps-restart-policy", join(plugin, "subcommands", "report"), ["ps:report", app, "--ps-restart-policy"]],
    ["ps:set restart-policy", join(plugin, "subcommands", "set"), ["ps:set", app, "restart-policy", "on-failure:10"]],
  ];
  const runs = 21;
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
    report({ id: "P1", what: `${what} (ratio: median of ${runs} paired runs)`, value: summarize(ours), valueUnit: "ms", baseline: { what: "node -e 0", sample: summarize(base) }, ratio, target: { op: "<=", value: 1.25 } });
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
  const r = spawnSync("/usr/bin/time", ["-f", "%M", "-o", timeFile, ...SETPRIV, join(plugin, "pre-deploy"), app, "latest"], { env: { ...env, DOKKU_QUIET_OUTPUT: "1" }, stdio: ["ignore", "ignore", "pipe"] });
  const ms = performance.now() - start;
  if (r.status !== 0) throw new Error(`pre-deploy failed: ${r.stderr}`);
  const rssKiB = Number(readFileSync(timeFile, "utf8").trim().split("\n").pop());
  return { ms, rssMiB: rssKiB / 1024 };
}

/** P2 / P2m: DOKKU_SCALE + Procfile + app.json out of a 2 MiB and a 512 MiB image. */
async function benchExtraction(): Promise<void> {
  const small = await host.createApp("p2s");
  const big = await host.createApp("p2b");
  await buildBenchImage(small, 0);
  await buildBenchImage(big, 512);
  const sizes = await sh("docker", ["image", "inspect", "-f", "{{.Size}}", `dokku/${small}:latest`, `dokku/${big}:latest`]);
  const [smallBytes, bigBytes] = sizes.split("\n").map(Number);
  console.log(`     images: ${(Number(smallBytes) / 2 ** 20).toFixed(1)} MiB and ${(Number(bigBytes) / 2 ** 20).toFixed(1)} MiB`);
  const out = tempDir("dokku-ps-bench-cp-");
  ourExtraction(small);
  ourExtraction(big);
  dokkuWayExtraction(small, out);
  const runs = 11;
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
  report({ id: "P2", what: "extraction, 2 MiB image, pre-deploy trigger vs Dokku's create+cp+rm per file", value: os, valueUnit: "ms", baseline: { what: "docker CLI ×3 files", sample: d }, ratio: os.median / d.median, target: { op: "<=", value: 0.6 } });
  report({ id: "P2", what: "extraction flat in image size, 512 MiB vs 2 MiB image", value: ob, valueUnit: "ms", baseline: { what: "same, 2 MiB image", sample: os }, ratio: ob.median / os.median, target: { op: "<=", value: 1.15 } });
  const rs = summarize(rssSmall);
  const rb = summarize(rssBig);
  // Expressed as a ratio so it prints like the others: (big - small) / 10 MiB must be <= 1.
  report({ id: "P2m", what: "peak RSS of extraction, 512 MiB image (target: ≤ 2 MiB image's + 10 MiB)", value: rb, valueUnit: "MiB", baseline: { what: "2 MiB image", sample: rs }, ratio: (rb.max - rs.min) / 10, target: { op: "<=", value: 1 } });
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
  host.seedFile(join(host.home, app, "DOKKU_SCALE"), `web=${containers}\n`, 0o600);
  host.seedFile(join(host.lib, "config", "common", app, "deployed"), "true", 0o600);
  return ids;
}

/** P3: `ps:report` over 50 deployed apps (2 containers each) vs one `docker inspect` per container. */
async function benchReport(): Promise<void> {
  const ids: string[] = [];
  for (let i = 0; i < 50; i++) {
    const app = await host.createApp(`p3-${String(i).padStart(2, "0")}`);
    ids.push(...(await fakeDeploy(app, 2)));
  }
  const dokkuWay = () => {
    const start = performance.now();
    for (const id of ids) spawnSync("docker", ["container", "inspect", "--format", "{{.State.Status}}", id], { stdio: "ignore" });
    return performance.now() - start;
  };
  const ours = () => timeRun(DOKKU, ["ps:report"], env);
  ours();
  const runs = 5;
  const base: number[] = [];
  const mine: number[] = [];
  for (let i = 0; i < runs; i++) {
    base.push(dokkuWay());
    mine.push(ours());
  }
  const b = summarize(base);
  const m = summarize(mine);
  report({ id: "P3", what: "ps:report, 50 apps × 2 containers (speed-up over Dokku's per-container inspect)", value: m, valueUnit: "ms", baseline: { what: "100 × docker container inspect", sample: b }, ratio: b.median / m.median, target: { op: ">=", value: 10 } });
}

/** P4: `ps:restart --all --parallel -1` vs `--parallel 1` over 20 deployed apps. */
async function benchRestartAll(): Promise<void> {
  // The P3 apps (if any) would join --all: start from a clean host for this figure.
  for (const entry of readdirSync(host.home).filter((a) => a.startsWith("p3-"))) {
    await host.dokku("apps:destroy", entry, "--force");
  }
  // A restart is mostly waiting for the new container to pass its checks:
  // Dokku waits DOKKU_DEFAULT_CHECKS_WAIT = 10 s by default (the host's own
  // default of 1 s is a test-speed shortcut). One web container per app.
  await host.dokku("config:set", "--global", "DOKKU_DEFAULT_CHECKS_WAIT=10");
  // Old containers retire inline, inside the timed restart, with
  // DOKKU_WAIT_TO_RETIRE=0 (Host.create sets it): no detached retire job
  // outlives the figure to run its docker calls during the next one, so
  // there is nothing to wait for or stop afterwards (and nothing is ever
  // stopped by name: test/no-kill-by-name.test.ts).
  const retireWait = await host.dokku("config:get", "--global", "DOKKU_WAIT_TO_RETIRE");
  if (retireWait.stdout.trim() !== "0") throw new Error(`P4 needs DOKKU_WAIT_TO_RETIRE=0, the host has ${JSON.stringify(retireWait.stdout.trim())}`);
  const seed = await host.createApp("p4-seed");
  await buildBenchImage(seed, 0, "web=1\n");
  const apps: string[] = [];
  for (let i = 0; i < 20; i++) {
    const app = await host.createApp(`p4-${String(i).padStart(2, "0")}`);
    const r = await host.dokku("git:from-image", app, `dokku/${seed}:latest`);
    if (r.code !== 0) throw new Error(`git:from-image ${app}: ${r.stderr}`);
    apps.push(app);
  }
  await host.dokku("apps:destroy", seed, "--force");
  const runs = Number(process.env["BENCH_P4_RUNS"] ?? "1");
  const serial: number[] = [];
  const parallel: number[] = [];
  for (let i = 0; i < runs; i++) {
    serial.push(timeRun(DOKKU, ["ps:restart", "--all", "--parallel", "1"], env));
    parallel.push(timeRun(DOKKU, ["ps:restart", "--all", "--parallel", "-1"], env));
  }
  const s = summarize(serial.map((ms) => ms / 1000));
  const p = summarize(parallel.map((ms) => ms / 1000));
  report({ id: "P4", what: "ps:restart --all --parallel -1, 20 apps (speed-up over --parallel 1)", value: p, valueUnit: "s", baseline: { what: "--parallel 1", sample: s }, ratio: s.median / p.median, target: { op: ">=", value: 1.7 } });
  for (const app of apps) await host.dokku("apps:destroy", app, "--force");
  await host.dokku("config:set", "--global", "DOKKU_DEFAULT_CHECKS_WAIT=0");
}

/**
 * P5: wall time of all ps processes during one `git push` deploy: each
 * trigger (plugn's timing log) and each call of ps's `commands` file (the
 * host's dispatch asks every plugin about `git-hook`).
 */
async function benchPushOverhead(): Promise<void> {
  const app = await host.createApp("p5");
  const src = await workTree({
    Dockerfile: `FROM ${BASE_IMAGE}\nWORKDIR /app\nCOPY . /app\nCMD ["sleep", "86400"]\n`,
    Procfile: "web: sleep 86400\nworker: sleep 86400\n",
    DOKKU_SCALE: "web=1\nworker=1\n",
  });
  const runs = Number(process.env["BENCH_P5_RUNS"] ?? "11");
  const psSeconds: number[] = [];
  const pushSeconds: number[] = [];
  const perHook = new Map<string, number[]>();
  for (let i = 0; i < runs; i++) {
    if (i > 0) await commitFiles(src, { "bump.txt": String(i) });
    const log = join(scratch, `plugn-${i}`);
    const start = performance.now();
    const r = await host.push(app, src, { PLUGN_TIMING_LOG: log });
    pushSeconds.push((performance.now() - start) / 1000);
    if (r.code !== 0) throw new Error(`push failed: ${r.stderr}`);
    const lines = readFileSync(log, "utf8").trim().split("\n").map((l) => l.split(" "));
    const ours = lines.filter(([plugin]) => plugin === "ps");
    psSeconds.push(ours.reduce((sum, [, , s]) => sum + Number(s), 0));
    const byHook = new Map<string, number>();
    for (const [, hook, s] of ours) byHook.set(hook!, (byHook.get(hook!) ?? 0) + Number(s));
    for (const [hook, s] of byHook) perHook.set(hook, [...(perHook.get(hook) ?? []), s]);
    rmSync(log, { force: true });
  }
  const ps = summarize(psSeconds);
  const push = summarize(pushSeconds);
  // Where the time goes: each hook's median (summed over its calls in one push).
  const breakdown = [...perHook].map(([hook, s]) => `${hook} ${(summarize(s).median * 1000).toFixed(0)} ms`);
  console.log(`     ps hooks in one push (median each): ${breakdown.join(", ")}`);
  report({ id: "P5", what: "time ps adds to one git push (all its hooks and commands calls summed), s; ratio vs the 0.5 s budget", value: ps, valueUnit: "s", baseline: { what: "whole push", sample: push }, ratio: ps.median / 0.5, target: { op: "<=", value: 1 } });
}

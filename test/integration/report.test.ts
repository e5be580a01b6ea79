/**
 * ps:report on the test host: Dokku's layout byte for byte, info flags,
 * JSON, every error, and container states read from the engine. Runs on
 * 0.24.10 and 0.31.5: the rows are this Dokku's report flags in order
 * (host.contract.reportFlags; 0.31.5's three procfile-path rows and its
 * values as real-dokku-0.31.5/transcripts/core-ps-0.31.5.log shows them for
 * `dokku ps:report rdweb`), 0.24's extra info flags only where they exist;
 * on 0.38.27 its 21 rows at column 42 with the values of a default app
 * (real-dokku-0.38.27/README.md: `--ps-restart-policy` and the global rows
 * empty when unset, the computed rows the defaults) and json keys twice.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execa } from "execa";
import { Host, PROCFILE_WEB_WORKER, REPO, deployedContainers, dockerfileApp, workTree } from "./harness.ts";

let host: Host;
let app: string;
let idle: string;
const cid = new Map<string, string>();

/** This Dokku's report flags, then dokku-ps's extra info flags (0.24 only). */
const flags = () => [...host.contract.reportFlags, ...host.contract.extraReportFlags];

/**
 * The rows before the status rows, in this Dokku's order; `values` gives the
 * app-dependent ones, the rest are a default app's (core-ps-0.31.5.log
 * shows `Procfile`, `Procfile` and an empty `Ps procfile path`).
 */
function rows(values: { deployed: string; processes: string; running: string }): Array<[string, string]> {
  const all: Record<string, string> = {
    ...values,
    "ps-can-scale": "true",
    "ps-computed-procfile-path": "Procfile",
    "ps-global-procfile-path": host.contract.unsetReportRows === "empty" ? "" : "Procfile",
    "ps-procfile-path": "",
    "ps-restart-policy": restartPolicyRow(),
    restore: "true",
    // 0.36+'s property rows of an app that sets none (0.38.27's record).
    "ps-computed-dockerfile-start-cmd": "",
    "ps-computed-restart-policy": "on-failure:10",
    "ps-computed-skip-deploy": "false",
    "ps-computed-start-cmd": "",
    "ps-computed-stop-timeout-seconds": "30",
    "ps-dockerfile-start-cmd": "",
    "ps-global-restart-policy": "",
    "ps-global-skip-deploy": "",
    "ps-global-stop-timeout-seconds": "",
    "ps-skip-deploy": "",
    "ps-start-cmd": "",
    "ps-stop-timeout-seconds": "",
  };
  return host.contract.reportFlags.map((flag) => {
    const key = flag.slice(2);
    const label = key.replace(/-/g, " ");
    return [label.charAt(0).toUpperCase() + label.slice(1), all[key]!];
  });
}

before(async () => {
  host = await Host.create();
  app = await host.createApp("rep");
  idle = await host.createApp("rep-idle");
  const scale = await dokku("ps:scale", app, "web=1", "worker=1");
  assert.equal(scale.code, 0, scale.stderr);
  const push = await host.push(app, await workTree(dockerfileApp({ Procfile: PROCFILE_WEB_WORKER })));
  assert.equal(push.code, 0, push.stderr);
  for (const c of await deployedContainers(app)) cid.set(c.dyno, c.id);
  assert.deepEqual([...cid.keys()].sort(), ["web.1", "worker.1"]);
});
after(async () => {
  await host?.destroy();
});

const dokku = (...args: string[]) => host.dokku(...args);

/** `--ps-restart-policy` of an app without its own: the effective policy to 0.38.8, the app's own (none) from 0.38.9. */
const restartPolicyRow = () => (host.contract.restartPolicyStore === "property" ? "" : "on-failure:10");

/** Labels padded to 31 (0.24), or to the longest flag (`--` and the label's length), at least 31 (0.30+). */
const golden = (name: string, rows: Array<[string, string]>): string => {
  const pad = host.is024 ? 31 : Math.max(31, ...rows.map(([label]) => label.length + 2));
  return `=====> ${name} ps information\n` + rows.map(([label, value]) => `       ${`${label}:`.padEnd(pad)}${value}\n`).join("");
};

describe("ps:report", () => {
  test("stdout is byte-equal to Dokku's layout for a deployed app", async () => {
    const r = await dokku("ps:report", app);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, "");
    assert.equal(
      r.stdout,
      golden(app, [
        ...rows({ deployed: "true", processes: "2", running: "true" }),
        ["Status web 1", `running (CID: ${cid.get("web.1")!.slice(0, 11)})`],
        ["Status worker 1", `running (CID: ${cid.get("worker.1")!.slice(0, 11)})`],
      ]),
    );
  });

  test("the report trigger (dokku report) prints the same block", async () => {
    const env = host.env();
    const r = await execa("bash", ["-c", 'source "$1/host/lib/dokku-env.bash" && plugn trigger report "$2"', "_", REPO, app], {
      env,
      extendEnv: false,
      stdin: "ignore", // plugn (real and host/) fails when its stdin is a socket
      reject: false,
      stripFinalNewline: false,
    });
    assert.equal(r.exitCode, 0, String(r.stderr));
    assert.equal(r.stdout, (await dokku("ps:report", app)).stdout);
  });

  test("a created, never deployed app", async () => {
    const r = await dokku("ps:report", idle);
    assert.equal(r.code, 0, r.stderr);
    // The first ask caches "deployed" through CommandPropertySet, which says
    // so, as core ps 0.24.10's ps:report of a never-deployed app does
    // (real-dokku/dokku-ps-on-real-dokku.md, step 2); a later report does not.
    assert.equal(
      r.stdout,
      host.deployedCacheLine(false) +
      golden(idle, rows({ deployed: "false", processes: "0", running: "false" })),
    );
    assert.equal((await dokku("ps:report", idle)).stdout, r.stdout.replace(host.deployedCacheLine(false), ""));
  });

  test("--quiet drops the header only", async () => {
    const r = await dokku("--quiet", "ps:report", idle);
    assert.equal(r.code, 0, r.stderr);
    const full = (await dokku("ps:report", idle)).stdout;
    assert.equal(r.stdout, full.slice(full.indexOf("\n") + 1));
    assert.ok(!r.stdout.includes("=====>"));
  });

  test("an info flag prints only the value, before or after the app", async () => {
    for (const args of [[app, "--ps-restart-policy"], ["--ps-restart-policy", app]]) {
      const r = await dokku("ps:report", ...args);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, `${restartPolicyRow()}\n`);
    }
    const status = await dokku("ps:report", app, "--status-worker.1");
    assert.equal(status.stdout, `running (CID: ${cid.get("worker.1")!.slice(0, 11)})\n`);
    const deployed = await dokku("ps:report", app, "--deployed");
    assert.equal(deployed.stdout, "true\n");
    if (host.contract.extraReportFlags.includes("--ps-computed-stop-timeout-seconds")) {
      const timeout = await dokku("ps:report", app, "--ps-computed-stop-timeout-seconds");
      assert.equal(timeout.stdout, "10\n");
    } else {
      // 0.31.5's record: `ps:report rdweb --ps-computed-procfile-path` prints `Procfile`.
      const procfile = await dokku("ps:report", app, "--ps-computed-procfile-path");
      assert.equal(procfile.stdout, "Procfile\n");
    }
  });

  test("--format json: one line, every field as a string, keys sorted", async () => {
    const r = await dokku("ps:report", app, "--format", "json");
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.split("\n").length, 2);
    const json = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(json), Object.keys(json).slice().sort());
    assert.equal(json["deployed"], "true");
    assert.equal(json["processes"], "2");
    assert.equal(json["ps-restart-policy"], restartPolicyRow());
    if (host.is024) assert.equal(json["ps-computed-restart-policy"], "on-failure:10");
    else assert.equal(json["ps-computed-procfile-path"], "Procfile");
    assert.equal(json["status-web.1"], `running (CID: ${cid.get("web.1")!.slice(0, 11)})`);
    for (const v of Object.values(json)) assert.equal(typeof v, "string");
    // 0.38.8+: each `--ps-…` flag also without `ps-` (real-dokku-0.38.27/README.md).
    const twice = host.contract.reportJsonKeys === "trimmed-and-legacy";
    assert.deepEqual(
      Object.keys(json).sort(),
      [...flags(), "--status-web.1", "--status-worker.1"].flatMap((f) => (twice && f.startsWith("--ps-") ? [f.slice(2), f.slice(5)] : [f.slice(2)])).sort(),
    );
  });

  test("no app: every app in name order, one JSON line per app", async () => {
    const [first, second] = [app, idle].sort() as [string, string];
    const r = await dokku("ps:report");
    assert.equal(r.code, 0, r.stderr);
    const headers = r.stdout.split("\n").filter((l) => l.startsWith("=====>"));
    assert.deepEqual(headers, [`=====> ${first} ps information`, `=====> ${second} ps information`]);
    assert.ok(r.stdout.includes((await dokku("ps:report", app)).stdout));
    const json = await dokku("ps:report", "--format", "json");
    const lines = json.stdout.trimEnd().split("\n").map((l) => JSON.parse(l));
    assert.equal(lines.length, 2);
    const flag = await dokku("ps:report", "--deployed");
    assert.equal(flag.stdout, [first, second].map((a) => (a === app ? "true\n" : "false\n")).join(""));
  });

  test("states come from the engine: a stopped container shows exited, a removed one missing", async () => {
    const worker = cid.get("worker.1")!;
    await execa("docker", ["stop", "-t", "0", worker]);
    let r = await dokku("ps:report", app, "--status-worker.1");
    assert.equal(r.stdout, `exited (CID: ${worker.slice(0, 11)})\n`);
    assert.equal((await dokku("ps:report", app, "--running")).stdout, "mixed\n");
    await execa("docker", ["rm", "-f", worker]);
    r = await dokku("ps:report", app, "--status-worker.1");
    assert.equal(r.stdout, `missing (CID: ${worker.slice(0, 11)})\n`);
  });
});

describe("ps:report errors", () => {
  const fail = async (args: string[], stderr: string, code = 1) => {
    const r = await dokku("ps:report", ...args);
    assert.equal(r.stderr, stderr, args.join(" "));
    assert.equal(r.code, code, args.join(" "));
    assert.equal(r.stdout, "");
  };

  test("an info flag with --format json", () =>
    fail([app, "--running", "--format", "json"], " !     --format flag cannot be specified when specifying an info flag\n"));

  test("two info flags", () => fail([app, "--running", "--deployed"], " !     ps:report command allows only a single flag\n"));

  test("unknown flag lists every valid flag", () =>
    fail([idle, "--nope"], ` !     Invalid flag passed, valid flags: ${flags().sort().join(", ")}\n`));

  test("missing app exits 20", () => fail(["nope-app"], " !     App nope-app does not exist\n", 20));

  test("no apps at all", async () => {
    const empty = await Host.create();
    try {
      const r = await empty.dokku("ps:report");
      assert.equal(r.stderr, " !     You haven't deployed any applications yet\n");
      assert.equal(r.code, 1);
    } finally {
      await empty.destroy();
    }
  });
});

describe("help through the commands file", () => {
  test("dokku ps:help and dokku ps print the usage block", async () => {
    for (const args of [["ps:help"], ["ps"]]) {
      const r = await dokku(...args);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, host.contract.pluginHelp());
    }
  });

  test("dokku help lists ps; dokku help --all lists every ps command", async () => {
    const r = await dokku("help");
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^ {4}ps +Manage app processes$/m);
    assert.doesNotMatch(r.stdout, /ps:report/);
    const all = await dokku("help", "--all");
    assert.equal(all.code, 0, all.stderr);
    for (const c of ["inspect", "rebuild", "report", "restart", "restore", "scale", "set", "start", "stop"]) {
      assert.match(all.stdout, new RegExp(`^ {4}ps:${c} .*  +\\S`, "m"), c);
    }
  });
});

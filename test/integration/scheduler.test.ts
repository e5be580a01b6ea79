/**
 * Scheduler-agnostic: an app on another scheduler (the `recorder` fixture in
 * test/fixtures/scheduler-recorder) is handled only through `scheduler-*`
 * triggers; the Docker engine sees nothing of it.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { BASE_IMAGE, Host } from "./harness.ts";

let host: Host;
before(async () => {
  host = await Host.create();
  host.installFixturePlugin("scheduler-recorder");
});
after(async () => {
  await host?.destroy();
});

const calls = (host: Host): string[] => {
  try {
    return readFileSync(join(host.lib, "data", "scheduler-recorder", "calls"), "utf8").split("\n").filter(Boolean);
  } catch {
    return [];
  }
};

test("ps commands reach the app's scheduler only through scheduler-* triggers", async () => {
  const app = await host.createApp("rec");
  const cfg = await host.selectScheduler(app, "recorder");
  assert.equal(cfg.code, 0, cfg.stderr);
  // release-and-deploy needs the app's image to exist; tagging happens before the watched window.
  assert.equal((await execa("docker", ["tag", BASE_IMAGE, `dokku/${app}:latest`])).exitCode, 0);

  const since = (Date.now() / 1000).toFixed(3);
  const run = async (...args: string[]) => {
    const r = await host.dokku(...args);
    assert.equal(r.code, 0, `${args.join(" ")}: ${r.stderr}`);
    return r;
  };
  const notDeployed = await run("ps:start", app);
  assert.match(notDeployed.stderr, /has not been deployed/);
  await run("ps:restart", app);
  assert.deepEqual(calls(host), [`scheduler-is-deployed recorder ${app}`]);

  // A first deploy through the scheduler (git:from-image → release-and-deploy).
  await run("git:from-image", app, `dokku/${app}:latest`);
  await run("ps:stop", app);
  const start = await run("ps:start", app);
  assert.match(start.stdout, /recorder: deployed/);
  await run("ps:restart", app);
  await run("ps:restart", app, "web");
  await run("ps:scale", app, "web=2");
  await run("ps:restore", app);
  const report = await host.dokku("ps:report", app);
  assert.equal((await host.selectScheduler("--global", "recorder")).code, 0);
  await run("ps:retire");
  assert.equal((await host.selectScheduler("--global")).code, 0);
  const until = (Date.now() / 1000 + 1).toFixed(3);

  const got = calls(host);
  // 0.24's deploy passes a process type only when given one; 0.30+'s always
  // passes it, "" for all (Dokku 0.31.5's `deploy <app> <tag> <process-type>`),
  // and its ps:scale deploys only the types it scaled.
  const deploy = (processType?: string) =>
    host.is024 ? `scheduler-deploy recorder ${app} latest${processType ? ` ${processType}` : ""}` : `scheduler-deploy recorder ${app} latest ${processType ?? ""}`;
  const expected = [
    `scheduler-is-deployed recorder ${app}`,
    deploy(), // git:from-image
    `scheduler-stop recorder ${app}`, // ps:stop
    `scheduler-app-status recorder ${app}`, // ps:start
    deploy(),
    deploy(), // ps:restart (0.24: release-and-deploy; 0.31.5: deploy of the running tag)
    deploy("web"), // ps:restart <app> web
    host.is024 ? deploy() : deploy("web"), // ps:scale web=2
    `${host.contract.restoreHook} recorder ${app}`, // ps:restore (0.31.5: scheduler-pre-restore)
    `scheduler-app-status recorder ${app}`,
  ];
  // ps:report (owned elsewhere) asks for the status too when it is implemented.
  const withoutReport = got.filter((line, i) => !(report.code === 0 && i >= expected.length && line === `scheduler-app-status recorder ${app}`));
  // ps:retire with no app: 0.36+'s core ps passes the (empty) app too (plugins/ps CommandRetire).
  assert.deepEqual(withoutReport, [...expected, host.contract.retireSteps === "plain" ? "scheduler-retire recorder" : "scheduler-retire recorder "]);
  if (report.code === 0) assert.match(report.stdout, /Running:\s+true/);

  // The engine ran nothing of this app: no events, no containers. On 0.30+
  // (where pre-deploy fires for every scheduler, from registry's
  // post-release-builder) ps reads the image's DOKKU_SCALE: throw-away
  // `ps-extract` containers of the image, each created and destroyed. On
  // 0.38 git:from-image's release step also builds the release image (its
  // labels, one build step each: a container created and destroyed, never
  // started, and the image tagged). Nothing of this app is ever started.
  const events = await execa("docker", ["events", "--since", since, "--until", until, "--filter", `label=com.dokku.app-name=${app}`]);
  const lines = events.stdout.trim() === "" ? [] : events.stdout.trim().split("\n");
  if (host.is024) assert.deepEqual(lines, []);
  else {
    const psExtract = (line: string) => / container (create|destroy) .*com\.dokku\.container-type=ps-extract/.test(line);
    // 0.38's release build: the tag, or a label step's container (no container-type).
    const releaseBuild = (line: string) => host.is038 && (/ image tag /.test(line) || (/ container (create|destroy) /.test(line) && !/com\.dokku\.container-type=/.test(line)));
    assert.ok(lines.every((line) => psExtract(line) || releaseBuild(line)), events.stdout);
    assert.ok(lines.some((line) => /com\.dokku\.container-type=ps-extract/.test(line)), `the image's DOKKU_SCALE was read: ${events.stdout}`);
    const idsOf = (verb: string) => lines.filter((line) => line.includes(` container ${verb} `)).map((line) => line.split(" ")[3]).sort();
    assert.deepEqual(idsOf("destroy"), idsOf("create"), "every container created is removed");
  }
  const ps = await execa("docker", ["ps", "-aq", "--filter", `label=com.dokku.app-name=${app}`]);
  assert.equal(ps.stdout.trim(), "");
});

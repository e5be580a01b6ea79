import { test } from "node:test";
import assert from "node:assert/strict";
import {
  assertRestartPolicy,
  fromDockerRestartPolicy,
  restartPolicyFromDockerOptions,
  toDockerRestartPolicy,
  withRestartPolicy,
} from "../../src/core/restart-policy.ts";

test("accepts Docker's policies", () => {
  for (const p of ["no", "always", "unless-stopped", "on-failure", "on-failure:1", "on-failure:10"]) assert.equal(assertRestartPolicy(p), p);
});

test("refuses anything else with Dokku's message", () => {
  for (const p of ["", "sometimes", "on-failure:", "on-failure:0", "on-failure:-1", "on-failure:x", "always;rm", "no "]) {
    assert.throws(() => assertRestartPolicy(p), /^DokkuError: Invalid restart-policy specified$|Invalid restart-policy specified/);
  }
});

test("maps to and from docker's RestartPolicy", () => {
  assert.deepEqual(toDockerRestartPolicy("on-failure:10"), { Name: "on-failure", MaximumRetryCount: 10 });
  assert.deepEqual(toDockerRestartPolicy("always"), { Name: "always", MaximumRetryCount: 0 });
  assert.equal(fromDockerRestartPolicy({ Name: "on-failure", MaximumRetryCount: 10 }), "on-failure:10");
  assert.equal(fromDockerRestartPolicy({ Name: "", MaximumRetryCount: 0 }), "no");
});

test("reads and replaces the --restart line in DOCKER_OPTIONS_DEPLOY, keeping other lines sorted", () => {
  const text = "-v /data:/data\n--restart=always\n";
  assert.equal(restartPolicyFromDockerOptions(text), "always");
  assert.equal(restartPolicyFromDockerOptions("-v /x:/x\n"), undefined);
  assert.equal(withRestartPolicy(text, "no"), "--restart=no\n-v /data:/data\n");
  assert.equal(withRestartPolicy("", "on-failure:10"), "--restart=on-failure:10\n");
  assert.equal(withRestartPolicy(text, undefined), "-v /data:/data\n");
});

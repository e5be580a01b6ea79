import { test } from "node:test";
import assert from "node:assert/strict";
import { isAppNameShape } from "../../src/core/app-name.ts";
import { assertImageTag } from "../../src/core/image-tag.ts";

test("isAppNameShape: the predicate form of assertAppNameShape (listApps skips the rest)", () => {
  for (const good of ["demo", "my-app.2", "legacy_app", "tls"]) assert.equal(isAppNameShape(good), true, good);
  for (const bad of ["", "--all", "-rf", "Upper", "..", "a..b", "a b", "a:b", "a/b", "x".repeat(201)]) {
    assert.equal(isAppNameShape(bad), false, bad);
  }
});

test("image tags follow Docker's grammar before they reach an engine API path", () => {
  for (const good of ["latest", "2", "v1.2.3-rc_1", "_x", "t".repeat(128)]) assert.equal(assertImageTag(good), good);
  for (const bad of ["", "../x", "x/../../containers/abc", "latest?force=1", "-x", ".x", "a b", "a:b", "t".repeat(129), "日本"]) {
    assert.throws(() => assertImageTag(bad), /Invalid image tag/, bad);
  }
});

/**
 * pathsFromEnv joins plain names by concatenation (speed); every result must
 * be what path.join gives for the same parts, whatever the roots and names.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { pathsFromEnv } from "../../src/adapters/paths.ts";

test("paths: the same strings as path.join for plain and odd roots and names", () => {
  const roots = ["/home/dokku", "/home/dokku/", "//srv//dokku//", "/", ".", "rel/dir", "./rel/../x", "/a/./b/.."];
  const names = ["app", "my-app.v2", "ENV", "DOKKU_SCALE.extracted", ".deploy.lock", "--global", "", ".", "..", "a/b", "../x", "a//b"];
  for (const root of roots) {
    const p = pathsFromEnv({ DOKKU_ROOT: root, DOKKU_LIB_ROOT: root });
    for (const app of names) {
      assert.equal(p.appDir(app), join(root, app), `appDir ${root} ${app}`);
      assert.equal(p.psDataDir(app), join(root, "data", "ps", app), `psDataDir ${root} ${app}`);
      for (const file of names) {
        assert.equal(p.appFile(app, file), join(root, app, file), `appFile ${root} ${app} ${file}`);
        assert.equal(p.propertyDir(file, app), join(root, "config", file, app), `propertyDir ${root} ${file} ${app}`);
      }
    }
  }
});

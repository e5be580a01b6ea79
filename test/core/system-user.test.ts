import { test } from "node:test";
import assert from "node:assert/strict";
import { idFromDatabase } from "../../src/core/system-user.ts";

const passwd = "root:x:0:0:root:/root:/bin/bash\ndokkuish:x:1001:1001::/home/x:/bin/sh\ndokku:x:999:995::/home/dokku:/bin/bash\nodd:x:12a:1::/:/bin/sh\n";
const group = "root:x:0:\ndocker:x:105:dokku\ndokku:x:995:\n";

test("idFromDatabase: the exact name's third field", () => {
  assert.equal(idFromDatabase(passwd, "dokku"), 999);
  assert.equal(idFromDatabase(passwd, "root"), 0);
  assert.equal(idFromDatabase(group, "dokku"), 995);
  assert.equal(idFromDatabase(group, "docker"), 105);
});

test("idFromDatabase: no prefix match, no member match, no odd ids, no empty name", () => {
  assert.equal(idFromDatabase(passwd, "dokk"), undefined);
  assert.equal(idFromDatabase(group, "nobody"), undefined);
  assert.equal(idFromDatabase(passwd, "odd"), undefined);
  assert.equal(idFromDatabase(passwd, ""), undefined);
  assert.equal(idFromDatabase("", "dokku"), undefined);
});

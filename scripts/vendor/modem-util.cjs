// docker-modem's modem.js uses `util` for one thing: util.inspect of every
// request's options, for its debug log, evaluated even when logging is off
// (and dokku-ps carries no debug logging: scripts/vendor/no-debug.cjs).
// That is ~1 ms per request, ~14 ms once the options hold an http.Agent
// (src/adapters/docker.ts). Everything else of util is the real module.
"use strict";
const util = require("util");
module.exports = Object.assign(Object.create(util), { inspect: () => "(not formatted: debug logging is off)" });

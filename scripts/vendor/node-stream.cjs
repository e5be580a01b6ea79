// docker-modem's readable-stream (v3) is Node's own stream API; this is what
// readable-stream itself exports with READABLE_STREAM=disable (see scripts/build.mjs).
module.exports = require("stream");

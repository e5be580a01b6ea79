// Own bundle for tar-stream (see scripts/build.mjs).
const tar = require("tar-stream");
exports.extract = tar.extract;
exports.pack = tar.pack;

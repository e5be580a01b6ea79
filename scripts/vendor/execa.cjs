// Own bundle for execa (see scripts/build.mjs).
exports.execa = require("execa").execa;

// Own bundle for p-queue (see scripts/build.mjs): the class is the export.
module.exports = require("p-queue").default;

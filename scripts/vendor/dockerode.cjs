// Own bundle for dockerode (see scripts/build.mjs): the class is the export.
module.exports = require("dockerode");

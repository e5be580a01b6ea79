// Own bundle for simple-git (see scripts/build.mjs).
exports.simpleGit = require("simple-git").simpleGit;

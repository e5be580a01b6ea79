// docker-modem requires `https` at start-up, and with it tls and crypto
// (~5 ms of every Docker-using trigger); only an engine reached over TLS
// (DOCKER_HOST=tcp://…, DOCKER_TLS_VERIFY) uses it. This stand-in loads the
// real module on first use of any of its members (see scripts/build.mjs).
"use strict";
let https;
const real = () => (https ??= require("https"));
module.exports = new Proxy(
  {},
  {
    get: (_, key) => real()[key],
    has: (_, key) => key in real(),
    ownKeys: () => Reflect.ownKeys(real()),
    getOwnPropertyDescriptor: (_, key) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(real(), key);
      return descriptor && { ...descriptor, configurable: true };
    },
  },
);

// Stands in for dependencies of dockerode that dokku-ps never uses: ssh2
// (ssh:// engines), gRPC/protobuf/uuid (BuildKit sessions and progress) and
// tar-fs/dockerignore (build contexts). They are 1.7 MB of code that every
// Docker-using trigger would otherwise load.
// Any use fails loudly instead of silently doing nothing.
const unsupported = (name) =>
  function unsupportedDependency() {
    throw new Error(`dokku-ps talks to the Docker engine over its local socket; ${name} is not bundled`);
  };
module.exports = new Proxy({}, { get: (_target, prop) => (prop === "__esModule" ? false : unsupported(String(prop))) });

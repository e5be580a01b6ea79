// docker-modem's debug logging (DEBUG=modem) is not carried: a logger that does nothing.
const off = () => undefined;
off.enabled = false;
off.extend = () => off;
module.exports = () => off;

'use strict';
// Preload (`node -r`) for the peer gateway under test (Portkey), which binds all interfaces: every
// TCP listen is forced onto 127.0.0.1 so the benchmark never exposes a server beyond loopback. It also
// prints one JSON line per listening server, which the harness uses as its readiness signal (Portkey's
// own banner comes a second later, after a cosmetic spinner).
const net = require('node:net');

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function forcedLoopbackListen(...args) {
  if (args[0] !== null && typeof args[0] === 'object' && args[0].path === undefined) {
    args[0] = { ...args[0], host: '127.0.0.1' };
  } else if (typeof args[0] === 'number' || (typeof args[0] === 'string' && /^\d+$/.test(args[0]))) {
    const rest = args.slice(1);
    if (typeof rest[0] === 'string' || rest[0] === undefined || rest[0] === null) rest.shift();
    args = [args[0], '127.0.0.1', ...rest];
  }
  this.once('listening', () => {
    const address = this.address();
    if (address && typeof address === 'object') {
      process.stdout.write(`${JSON.stringify({ msg: 'bench preload: listening', host: address.address, port: address.port })}\n`);
    }
  });
  return listen.apply(this, args);
};

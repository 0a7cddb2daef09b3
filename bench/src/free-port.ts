import { createServer } from 'node:net';

/**
 * A loopback port that was free a moment ago: listen on port 0, read the port, close. For programs
 * that cannot listen on port 0 and report it (redis-server, Portkey); the tiny race with another
 * program taking it meanwhile shows up as a failed start, never as a wrong measurement.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

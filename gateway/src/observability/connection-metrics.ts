import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { metricNames } from '@ailb/shared';
import { Counter, Gauge, type Registry } from 'prom-client';

/**
 * Connections and bytes of the HTTP listener, counted per connection rather than per request (no
 * cost on the request path): sockets are tracked from `connection` to `close`, and the byte counters
 * add the closed sockets' totals to the live sockets' current ones when scraped, so they only grow.
 */
export class ConnectionMetrics {
  private readonly open = new Set<Socket>();
  private accepted = 0;
  private closedReceived = 0;
  private closedSent = 0;

  constructor(registers: Registry[]) {
    const { httpConnections, httpConnectionsTotal, httpReceivedBytes, httpSentBytes } = metricNames;
    const state = this;
    new Gauge({
      name: httpConnections.name,
      help: httpConnections.help,
      registers,
      collect() {
        this.set(state.open.size);
      },
    });
    const counter = (definition: { name: string; help: string }, value: () => number) =>
      new Counter({
        name: definition.name,
        help: definition.help,
        registers,
        collect() {
          this.reset();
          this.inc(value());
        },
      });
    counter(httpConnectionsTotal, () => state.accepted);
    counter(httpReceivedBytes, () => state.closedReceived + state.sum((socket) => socket.bytesRead));
    counter(httpSentBytes, () => state.closedSent + state.sum((socket) => socket.bytesWritten));
  }

  /** Starts counting the server's connections (call before it listens). */
  track(server: Server): void {
    server.on('connection', (socket: Socket) => {
      this.accepted += 1;
      this.open.add(socket);
      socket.once('close', () => {
        this.open.delete(socket);
        this.closedReceived += socket.bytesRead;
        this.closedSent += socket.bytesWritten;
      });
    });
  }

  private sum(read: (socket: Socket) => number): number {
    let total = 0;
    for (const socket of this.open) total += read(socket);
    return total;
  }
}

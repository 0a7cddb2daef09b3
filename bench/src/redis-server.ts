import { Redis } from 'ioredis';
import { spawnChild, type Child } from './children.js';

/*
 * A private redis-server for AILB's split mode: its own free loopback port and an empty temp dir, no
 * persistence, so the benchmark never touches the shared Redis on 6379 and its command counts contain
 * nothing but the system under test (and the harness's own INFO calls, which cancel out below).
 */

export interface PrivateRedis {
  url: string;
  server: Child;
  /** One INFO snapshot (a single command, so each snapshot adds exactly one call and one read). */
  snapshot(): Promise<RedisSnapshot>;
  close(): Promise<void>;
}

export interface RedisSnapshot {
  at: number;
  /** Sum of `calls` over INFO commandstats (commands run inside Lua scripts are counted too). */
  commandCalls: number;
  /** Per-command calls, for the breakdown. */
  perCommand: Record<string, number>;
  /** INFO stats total_commands_processed. */
  commandsProcessed: number;
  /** INFO stats total_reads_processed: read events on client sockets, about one per round trip. */
  readsProcessed: number;
}

/** Starts redis-server on `port` (127.0.0.1 only, no persistence, working dir `dir`). */
export async function startPrivateRedis(port: number, dir: string): Promise<PrivateRedis> {
  const server = await spawnChild(
    'redis',
    {
      program: 'redis-server',
      args: ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--protected-mode', 'yes', '--logfile', ''],
      env: { PATH: process.env.PATH ?? '' },
    },
    { ready: (line) => line.includes('Ready to accept connections') },
  );
  const url = `redis://127.0.0.1:${port}`;
  // The harness's own connection: no auto-pipelining, so one snapshot is one command and one read.
  // No reconnecting: if this Redis goes away mid-run the next snapshot fails and the run aborts.
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  client.on('error', () => undefined); // reported through the failing command instead
  try {
    await client.connect();
  } catch (error) {
    await server.stop();
    throw error;
  }
  return {
    url,
    server,
    async snapshot() {
      const text = await client.info('stats', 'commandstats');
      return parseInfo(text, performance.now());
    },
    async close() {
      client.disconnect();
      await server.stop();
    },
  };
}

/** Parses INFO text (sections stats and commandstats) into a snapshot. */
export function parseInfo(text: string, at: number): RedisSnapshot {
  const perCommand: Record<string, number> = {};
  let commandsProcessed = Number.NaN;
  let readsProcessed = Number.NaN;
  for (const line of text.split(/\r?\n/)) {
    const command = /^cmdstat_([^:]+):calls=(\d+)/.exec(line);
    if (command) perCommand[command[1]!] = Number(command[2]);
    else if (line.startsWith('total_commands_processed:')) commandsProcessed = Number(line.split(':')[1]);
    else if (line.startsWith('total_reads_processed:')) readsProcessed = Number(line.split(':')[1]);
  }
  const commandCalls = Object.values(perCommand).reduce((total, calls) => total + calls, 0);
  return { at, commandCalls, perCommand, commandsProcessed, readsProcessed };
}

/** What Redis did between two snapshots (`seconds` of wall time). */
export interface RedisDelta {
  seconds: number;
  commandCalls: number;
  commandsProcessed: number;
  readsProcessed: number;
  perCommand: Record<string, number>;
}

/** The difference of two snapshots. */
export function redisDelta(before: RedisSnapshot, after: RedisSnapshot): RedisDelta {
  const perCommand: Record<string, number> = {};
  for (const [name, calls] of Object.entries(after.perCommand)) {
    const delta = calls - (before.perCommand[name] ?? 0);
    if (delta !== 0) perCommand[name] = delta;
  }
  return {
    seconds: (after.at - before.at) / 1000,
    commandCalls: after.commandCalls - before.commandCalls,
    commandsProcessed: after.commandsProcessed - before.commandsProcessed,
    readsProcessed: after.readsProcessed - before.readsProcessed,
    perCommand,
  };
}

/** Adds deltas (several measured windows of one kind). */
export function addDeltas(deltas: readonly RedisDelta[]): RedisDelta {
  const total: RedisDelta = { seconds: 0, commandCalls: 0, commandsProcessed: 0, readsProcessed: 0, perCommand: {} };
  for (const delta of deltas) {
    total.seconds += delta.seconds;
    total.commandCalls += delta.commandCalls;
    total.commandsProcessed += delta.commandsProcessed;
    total.readsProcessed += delta.readsProcessed;
    for (const [name, calls] of Object.entries(delta.perCommand)) total.perCommand[name] = (total.perCommand[name] ?? 0) + calls;
  }
  return total;
}

/**
 * Per-request cost of a loaded window after removing the idle background (BullMQ polling, heartbeats,
 * health writes) at the rate measured over idle windows, scaled to the loaded window's length. The
 * harness's own INFO call is part of both and cancels out with the background.
 */
export function perRequest(loaded: RedisDelta, idle: RedisDelta, requests: number): { commands: number; commandsProcessed: number; reads: number; perCommand: Record<string, number> } {
  const scale = idle.seconds > 0 ? loaded.seconds / idle.seconds : 0;
  const net = (loadedValue: number, idleValue: number) => (loadedValue - idleValue * scale) / requests;
  const perCommand: Record<string, number> = {};
  for (const [name, calls] of Object.entries(loaded.perCommand)) perCommand[name] = net(calls, idle.perCommand[name] ?? 0);
  return {
    commands: net(loaded.commandCalls, idle.commandCalls),
    commandsProcessed: net(loaded.commandsProcessed, idle.commandsProcessed),
    reads: net(loaded.readsProcessed, idle.readsProcessed),
    perCommand,
  };
}

import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { ReloadSignal, type ReloadLogger } from '../src/runtime/lifecycle/reload-signal.js';

/*
 * SIGHUP in the process lifecycle (runService): handled from the start, so a SIGHUP while the service
 * starts never ends the process (Node's default), and turned into one reload once it runs. Signals
 * come from an emitter standing in for the process; the log lines are the ones operators read.
 */
function setup() {
  const signals = new EventEmitter();
  const lines: string[] = [];
  const logger: ReloadLogger = {
    info: (_object, message) => void lines.push(`info ${message}`),
    warn: (_object, message) => void lines.push(`warn ${message}`),
    error: (_object, message) => void lines.push(`error ${message}`),
  };
  return { signals, lines, signal: new ReloadSignal(logger, signals) };
}

describe('the reload signal', () => {
  it('handles SIGHUP from the start, and reloads once after starting however many arrived meanwhile', async () => {
    const { signals, lines, signal } = setup();
    expect(signals.listenerCount('SIGHUP')).toBe(1);
    signals.emit('SIGHUP');
    signals.emit('SIGHUP');
    expect(lines).toEqual(['info reload requested while starting: reloading once started']);
    let reloads = 0;
    await signal.started(async () => `reloaded ailb.yaml (${++reloads})`);
    expect(reloads).toBe(1);
    expect(lines.slice(1)).toEqual(['info reloading the configuration', 'info reloaded ailb.yaml (1)']);
    signal.close();
    signal.close();
    expect(signals.listenerCount('SIGHUP')).toBe(0);
  });

  it('reloads on every SIGHUP once running, logging a refusal without throwing', async () => {
    const { signals, lines, signal } = setup();
    let refuse = false;
    await signal.started(async () => {
      if (refuse) throw new Error('reload refused: server.http_port: cannot change while running');
      return 'reloaded ailb.yaml';
    });
    expect(lines).toEqual([]);
    signals.emit('SIGHUP');
    await new Promise((resolve) => setImmediate(resolve));
    refuse = true;
    signals.emit('SIGHUP');
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines).toEqual(['info reloading the configuration', 'info reloaded ailb.yaml', 'info reloading the configuration', 'error reload refused: the running configuration is unchanged']);
    signal.close();
  });

  it('gives a service that does not reload Node’s default SIGHUP behaviour back once started', async () => {
    const { signals, lines, signal } = setup();
    signals.emit('SIGHUP');
    await signal.started(undefined);
    expect(signals.listenerCount('SIGHUP')).toBe(0);
    expect(lines).toEqual(['info reload requested while starting: reloading once started', 'warn SIGHUP received while starting: ignored (this service does not reload its configuration)']);
  });
});

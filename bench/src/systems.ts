import { fileURLToPath } from 'node:url';
import { jsonLine, whenJson, type Command } from './children.js';

/*
 * The one place that says how each system under test is started: entry points, flags, environment and
 * readiness.
 */

/** AILB's entry points: the embedded default, and split mode's edge and worker. */
const AILB_ENTRIES = { embedded: ['standalone/dist/main.js'], gateway: ['gateway/dist/main.js'], worker: ['worker/dist/main.js'] };

/** Portkey's server entry, relative to the repository root (hoisted by npm workspaces). */
const PORTKEY_ENTRY = 'node_modules/@portkey-ai/gateway/build/start-server.js';
/** The preloads Portkey runs with (kept as .cjs files beside bench/src; see their comments for why). */
const PRELOADS = ['force-loopback.cjs', 'mutable-fetch-headers.cjs'].map((file) => fileURLToPath(new URL(`../preload/${file}`, import.meta.url)));

export type SystemId = 'direct' | 'embedded' | 'split' | 'portkey';

/** One process of a system: how to start it, when it is ready, and where it then listens. */
export interface ProcessSpec {
  /** Short name in tables: `gateway`, `worker`, `ailb`, `portkey`, `mock`. */
  role: string;
  command: Command;
  /** The env keys worth printing next to the command. */
  shownEnv: string[];
  ready: (line: string) => boolean;
  /** The base URL served, from the ready line (only for the process clients talk to). */
  url?: (readyLine: string) => string;
}

export interface SystemSpec {
  id: SystemId;
  label: string;
  processes: ProcessSpec[];
  /** Headers every request to this system carries (besides content-type). */
  headers: Record<string, string>;
}

const node = (args: string[], env: Record<string, string>): Command => ({ program: process.execPath, args, env: { PATH: process.env.PATH ?? '', ...env } });
const ailbUrl = (line: string) => String(jsonLine(line)?.url ?? '');
const AILB_SHOWN_ENV = ['REDIS_URL', 'AILB_REDIS_PREFIX', 'AILB_CONFIG', 'HTTP_HOST', 'HTTP_PORT', 'LOG_LEVEL', 'AILB_WORKER_CONCURRENCY'];

/** The YAML configuration every AILB process gets: one OpenAI-type provider, the mock. */
export function ailbConfigYaml(mockUrl: string, model: string): string {
  return `providers:\n  - { id: mock, type: openai, base_url: "${mockUrl}/v1", api_key: bench-key, models: [${model}] }\n`;
}

function ailbEnv(configPath: string, redisUrl?: string): Record<string, string> {
  return {
    ...(redisUrl ? { REDIS_URL: redisUrl, AILB_REDIS_PREFIX: 'bench' } : {}),
    AILB_CONFIG: configPath,
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: '0',
    // info, not warn: the readiness lines are info; AILB logs nothing per request at info.
    LOG_LEVEL: 'info',
    AILB_WORKER_CONCURRENCY: '256',
  };
}

const gatewayListening = whenJson((line) => line.msg === 'AILB gateway listening');

/** The fast mock upstream (its own process). */
export function mockSpec(): ProcessSpec {
  return {
    role: 'mock',
    command: node(['bench/dist/mock-upstream.js'], {}),
    shownEnv: [],
    ready: whenJson((line) => line.msg === 'mock listening'),
    url: (line) => String(jsonLine(line)?.url ?? ''),
  };
}

/** The mock called directly: the baseline. Its one process is the mock itself, started separately. */
export function directSystem(): SystemSpec {
  return { id: 'direct', label: 'direct', processes: [], headers: { authorization: 'Bearer bench' } };
}

/** AILB embedded: gateway and worker in one process over the in-process queue (no REDIS_URL). */
export function embeddedSystem(configPath: string): SystemSpec {
  const [script, ...args] = AILB_ENTRIES.embedded;
  return {
    id: 'embedded',
    label: 'AILB embedded',
    processes: [{ role: 'ailb', command: node([script!, ...args], ailbEnv(configPath)), shownEnv: AILB_SHOWN_ENV, ready: gatewayListening, url: ailbUrl }],
    headers: { authorization: 'Bearer bench' },
  };
}

/** AILB split: one gateway process and one worker process over the private Redis. */
export function splitSystem(configPath: string, redisUrl: string): SystemSpec {
  const [gatewayScript, ...gatewayArgs] = AILB_ENTRIES.gateway;
  const [workerScript, ...workerArgs] = AILB_ENTRIES.worker;
  const env = ailbEnv(configPath, redisUrl);
  return {
    id: 'split',
    label: 'AILB split',
    processes: [
      { role: 'gateway', command: node([gatewayScript!, ...gatewayArgs], env), shownEnv: AILB_SHOWN_ENV, ready: gatewayListening, url: ailbUrl },
      { role: 'worker', command: node([workerScript!, ...workerArgs], env), shownEnv: AILB_SHOWN_ENV, ready: whenJson((line) => line.msg === 'worker started') },
    ],
    headers: { authorization: 'Bearer bench' },
  };
}

/** Portkey's open-source gateway on `port`, forced onto loopback, routed to the mock by headers. */
export function portkeySystem(port: number, mockUrl: string): SystemSpec {
  const preloadArgs = PRELOADS.flatMap((file) => ['-r', file]);
  return {
    id: 'portkey',
    label: 'Portkey',
    processes: [
      {
        role: 'portkey',
        command: node([...preloadArgs, PORTKEY_ENTRY, `--port=${port}`, '--headless'], {}),
        shownEnv: [],
        // Printed by the force-loopback preload when the server listens.
        ready: whenJson((line) => line.msg === 'bench preload: listening' && line.port === port),
        url: () => `http://127.0.0.1:${port}`,
      },
    ],
    headers: { 'x-portkey-provider': 'openai', 'x-portkey-custom-host': `${mockUrl}/v1`, authorization: 'Bearer anything' },
  };
}

import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { jsonLine, whenJson, type Command } from './children.js';

/*
 * The one place that says how each system under test is started: entry points, flags, environment and
 * readiness.
 */

/** AILB's entry points: the embedded default, and split mode's edge, worker and embedder. */
const AILB_ENTRIES = { embedded: ['standalone/dist/main.js'], gateway: ['gateway/dist/main.js'], worker: ['worker/dist/main.js'], embedder: ['embedder/dist/main.js'] };

/** Portkey's server entry, relative to the repository root (hoisted by npm workspaces). */
const PORTKEY_ENTRY = 'node_modules/@portkey-ai/gateway/build/start-server.js';
/** The preloads Portkey runs with (kept as .cjs files beside bench/src; see their comments for why). */
const PRELOADS = ['force-loopback.cjs', 'mutable-fetch-headers.cjs'].map((file) => fileURLToPath(new URL(`../preload/${file}`, import.meta.url)));

export type SystemId = 'direct' | 'embedded' | 'split' | 'portkey' | 'governed';

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
  /** How long it may take to be ready. @defaultValue 20000 */
  timeoutMs?: number;
  /** It starts a Chroma server as its child process (AILB's embedder without CHROMA_URL). */
  startsChroma?: boolean;
}

export interface SystemSpec {
  id: SystemId;
  label: string;
  processes: ProcessSpec[];
  /** Headers every request to this system carries (besides content-type). */
  headers: Record<string, string>;
  /** It serves the Files and Vector Stores API and RAG (an embedder runs): the knowledge section measures it. */
  knowledge?: boolean;
}

const node = (args: string[], env: Record<string, string>): Command => ({ program: process.execPath, args, env: { PATH: process.env.PATH ?? '', ...env } });
const ailbUrl = (line: string) => String(jsonLine(line)?.url ?? '');
const AILB_SHOWN_ENV = ['REDIS_URL', 'AILB_REDIS_PREFIX', 'AILB_CONFIG', 'AILB_DATA_DIR', 'HTTP_HOST', 'HTTP_PORT', 'LOG_LEVEL', 'AILB_WORKER_CONCURRENCY'];
/** An embedder starts Chroma and announces itself after the gateway listens: give it time. */
const EMBEDDER_READY_MS = 90_000;
const embedderStarted = whenJson((line) => line.msg === 'embedder started');

/** The YAML configuration every AILB process gets: one OpenAI-type provider, the mock. */
export function ailbConfigYaml(mockUrl: string, model: string): string {
  return `providers:\n  - { id: mock, type: openai, base_url: "${mockUrl}/v1", api_key: bench-key, models: [${model}] }\n`;
}

/** The API key the governed system's clients send (its SHA-256 is what the config declares). */
const GOVERNED_SECRET = 'bench-governed-key-0123456789abcdef';
/** Limits high enough that no run comes near them (at most MAX_RATE_LIMIT): they cost, never refuse. */
const NEVER_REACHED = 1_000_000_000;

/**
 * The governed system's configuration: the plain one plus one API key (so every request is
 * authenticated), three rate-limit rules every request counts against — its key (requests and tokens
 * per minute, so the tokenizer's estimate is taken and settled), its tenant and everyone — and a
 * tenant budget no run reaches. Prompt scanning stays at its default policy, as for the plain systems.
 */
export function governedConfigYaml(mockUrl: string, model: string): string {
  const hash = createHash('sha256').update(GOVERNED_SECRET).digest('hex');
  return [
    ailbConfigYaml(mockUrl, model).trimEnd(),
    'keys:',
    `  - { id: bench, tenant: bench, key_hash: "sha256:${hash}" }`,
    'rate_limits:',
    `  - { id: bench-key, target: "key:bench", requests_per_minute: ${NEVER_REACHED}, tokens_per_minute: ${NEVER_REACHED} }`,
    `  - { id: bench-tenant, target: "tenant:bench", requests_per_second: ${NEVER_REACHED} }`,
    `  - { id: bench-all, target: "*", requests_per_second: ${NEVER_REACHED} }`,
    'tenants:',
    '  bench: { budget: { usd: 1000000, period: monthly } }',
    '',
  ].join('\n');
}

/**
 * Memory and RAG stay at their defaults (on): the side-by-side numbers include whatever an idle
 * embedder costs. Its Chroma data goes to `dataDir`, inside the benchmark's temp dir, never ./.ailb-data.
 */
function ailbEnv(configPath: string, dataDir: string, redisUrl?: string): Record<string, string> {
  return {
    ...(redisUrl ? { REDIS_URL: redisUrl, AILB_REDIS_PREFIX: 'bench' } : {}),
    AILB_CONFIG: configPath,
    AILB_DATA_DIR: dataDir,
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: '0',
    GRPC_HOST: '127.0.0.1',
    GRPC_PORT: '0',
    // info, the default: the readiness lines are info, and the figures include the one log line per
    // request an operator gets by default.
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

/** The embedded process (gateway, worker and embedder in one, plus the Chroma its embedder starts). */
function embeddedProcess(configPath: string, dataDir: string): ProcessSpec {
  const [script, ...args] = AILB_ENTRIES.embedded;
  let url = '';
  const ready = (line: string) => {
    if (gatewayListening(line)) url = ailbUrl(line);
    return url !== '' && embedderStarted(line);
  };
  return { role: 'ailb', command: node([script!, ...args], ailbEnv(configPath, dataDir)), shownEnv: AILB_SHOWN_ENV, ready, url: () => url, timeoutMs: EMBEDDER_READY_MS, startsChroma: true };
}

/**
 * AILB embedded: gateway, worker and embedder in one process over the in-process queue (no REDIS_URL),
 * plus the Chroma server its embedder starts. Ready once the embedder has started (after the gateway
 * listens), so no measurement runs while it is still starting.
 */
export function embeddedSystem(configPath: string, dataDir: string): SystemSpec {
  return { id: 'embedded', label: 'AILB embedded', processes: [embeddedProcess(configPath, dataDir)], headers: { authorization: 'Bearer bench' }, knowledge: true };
}

/**
 * AILB embedded with governance on (`governedConfigYaml`): same entry and environment, its own data
 * dir. Compared with the plain embedded system it shows what the key check, the rate-limit buckets and
 * the budget check cost per request; the knowledge section leaves it out (nothing there differs).
 */
export function governedSystem(configPath: string, dataDir: string): SystemSpec {
  return { id: 'governed', label: 'AILB governed', processes: [embeddedProcess(configPath, dataDir)], headers: { authorization: `Bearer ${GOVERNED_SECRET}` }, knowledge: false };
}

/** AILB split: one gateway, one worker and one embedder process (with its Chroma) over the private Redis. */
export function splitSystem(configPath: string, redisUrl: string, dataDir: string): SystemSpec {
  const [gatewayScript, ...gatewayArgs] = AILB_ENTRIES.gateway;
  const [workerScript, ...workerArgs] = AILB_ENTRIES.worker;
  const [embedderScript, ...embedderArgs] = AILB_ENTRIES.embedder;
  const env = ailbEnv(configPath, dataDir, redisUrl);
  return {
    id: 'split',
    label: 'AILB split',
    processes: [
      { role: 'gateway', command: node([gatewayScript!, ...gatewayArgs], env), shownEnv: AILB_SHOWN_ENV, ready: gatewayListening, url: ailbUrl },
      { role: 'worker', command: node([workerScript!, ...workerArgs], env), shownEnv: AILB_SHOWN_ENV, ready: whenJson((line) => line.msg === 'worker started') },
      { role: 'embedder', command: node([embedderScript!, ...embedderArgs], env), shownEnv: AILB_SHOWN_ENV, ready: embedderStarted, timeoutMs: EMBEDDER_READY_MS, startsChroma: true },
    ],
    headers: { authorization: 'Bearer bench' },
    knowledge: true,
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

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { adoptProcess, describeCommand, killAllNow, REPO_ROOT, spawnChild, stopAll, type Child } from './children.js';
import { freePort } from './free-port.js';
import { loadCorpus } from './knowledge-corpus.js';
import { runKnowledge } from './knowledge-phases.js';
import { renderKnowledge, summarizeKnowledge } from './knowledge-report.js';
import { hasWrk } from './load-runs.js';
import { MOCK_MODEL } from './mock-content.js';
import { FOREIGN_WARNING_PERCENT, PLAN, QUICK, runPhases, verify, waitForQuietSecond, warmUp, type PhaseContext, type RunningSystem } from './phases.js';
import { childPids, clockTicksPerSecond, commandLine, rssMiB } from './proc-stats.js';
import { startPrivateRedis, type PrivateRedis } from './redis-server.js';
import { renderReport } from './report.js';
import { summarize } from './summary.js';
import { ailbConfigYaml, directSystem, embeddedSystem, governedConfigYaml, governedSystem, mockSpec, portkeySystem, splitSystem, type SystemSpec } from './systems.js';

/*
 * `npm run bench`: AILB (embedded, embedded with governance on, and split) side by side with Portkey's
 * open-source gateway and the mock upstream called directly, same mock, same load generators, in one run; loopback only, about
 * four minutes, and everything it starts is stopped by PID at the end, on error and on Ctrl-C.
 * Progress goes to stderr, the report to stdout; BENCH_OUT=<file> also writes every raw number as JSON.
 */

const benchStart = performance.now();
/** How a Chroma server started from the npm package shows in its command line. */
const CHROMA_COMMAND = 'chromadb/dist/cli.mjs';
/** BENCH_KNOWLEDGE_ONLY=1: only the knowledge section (no Portkey, no side-by-side phases). */
const KNOWLEDGE_ONLY = process.env.BENCH_KNOWLEDGE_ONLY === '1';
const log = (line: string) => process.stderr.write(`${line}\n`);

const dir = mkdtempSync(join(tmpdir(), 'ailb-bench-'));
let redis: PrivateRedis | undefined;
const systemChildren: Child[] = [];

let cleaning: Promise<void> | undefined;
/** Stops the systems first (they drain and close their Redis connections), then Redis and the mock. */
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    await Promise.all(systemChildren.map((child) => child.stop()));
    await redis?.close().catch(() => undefined);
    await stopAll();
    rmSync(dir, { recursive: true, force: true });
  })();
  return cleaning;
}
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    interrupted = true;
    log(`\n${signal}: stopping every process the benchmark started`);
    void cleanup().finally(() => process.exit(130));
  });
}
// Last resort if the process exits some other way: nothing it started outlives it, no temp dir stays.
process.on('exit', () => {
  killAllNow();
  rmSync(dir, { recursive: true, force: true });
});

function tryRun(program: string, args: string[]): string {
  try {
    return execFileSync(program, args, { encoding: 'utf8', cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch (error) {
    const output = error as { stdout?: string; stderr?: string };
    return `${output.stdout ?? ''}${output.stderr ?? ''}`.trim().split('\n')[0] ?? '';
  }
}

function environment(): Record<string, string> {
  const portkey = JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules/@portkey-ai/gateway/package.json'), 'utf8')) as { version: string };
  const dirty = tryRun('git', ['status', '--porcelain']) !== '';
  return {
    date: new Date().toISOString(),
    commit: `${tryRun('git', ['rev-parse', '--short', 'HEAD'])}${dirty ? ' (uncommitted changes)' : ''}`,
    node: process.version,
    cpu: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}`,
    clockTicks: String(clockTicksPerSecond()),
    loadGenerator: hasWrk() ? tryRun('wrk', ['-v']).split(' ').slice(0, 2).join(' ') : 'autocannon (wrk not on PATH)',
    redis: tryRun('redis-server', ['--version']).split(' ').slice(0, 3).join(' '),
    portkey: portkey.version,
    loadAverageAtStart: loadavg().map((value) => value.toFixed(2)).join(' '),
  };
}

/**
 * Waits (at most two minutes) for three consecutive seconds in which other processes use under 5% of
 * the CPU: numbers taken while someone else's build or tests run mislead. The load average is no guide
 * here, it trails bursts by minutes.
 */
async function waitForQuietMachine(): Promise<void> {
  const deadline = performance.now() + 120_000;
  for (let quietSeconds = 0; quietSeconds < 3 && performance.now() < deadline; ) {
    const busy = await waitForQuietSecond(1_000);
    if (busy < FOREIGN_WARNING_PERCENT) quietSeconds++;
    else {
      if (quietSeconds === 0) log(`other processes use ${busy.toFixed(0)}% of the CPU: waiting for a quiet machine (at most 2 minutes)`);
      quietSeconds = 0;
    }
  }
  if (performance.now() >= deadline) log('warning: the machine did not become quiet; runs during which other processes are busy are repeated (bounded)');
}

async function startSystem(spec: SystemSpec, mock: Child, mockUrl: string, commands: Array<{ system: string; role: string; command: string }>): Promise<RunningSystem> {
  const children: Child[] = [];
  let url = mockUrl;
  for (const processSpec of spec.processes) {
    commands.push({ system: spec.label, role: processSpec.role, command: describeCommand(processSpec.command, processSpec.shownEnv) });
    const child = await spawnChild(`${spec.label} ${processSpec.role}`, processSpec.command, { ready: processSpec.ready, ...(processSpec.timeoutMs ? { timeoutMs: processSpec.timeoutMs } : {}) });
    children.push(child);
    systemChildren.push(child);
    if (processSpec.url) url = processSpec.url(child.readyLine);
  }
  const pids: Record<string, number> = Object.fromEntries(children.map((child, index) => [spec.processes[index]!.role, child.pid]));
  // The Chroma server an embedder started: its CPU and memory are part of the system's.
  for (const [index, child] of children.entries()) {
    if (!spec.processes[index]!.startsChroma) continue;
    const chroma = childPids(child.pid).find((pid) => commandLine(pid).includes(CHROMA_COMMAND));
    if (chroma === undefined) throw new Error(`${spec.label} ${spec.processes[index]!.role}: no Chroma child process found`);
    adoptProcess(chroma, CHROMA_COMMAND);
    pids.chroma = chroma;
    commands.push({ system: spec.label, role: 'chroma', command: `(started by ${spec.processes[index]!.role}, pid ${chroma}) ${commandLine(chroma).replace(REPO_ROOT, '')}` });
  }
  if (spec.id === 'split' && redis) pids.redis = redis.server.pid;
  pids.mock = mock.pid;
  return { spec, url, children, pids };
}

async function main(): Promise<void> {
  const corpus = await loadCorpus();
  await waitForQuietMachine();
  const meta = environment();
  log(`AILB benchmark — ${meta.commit}, node ${meta.node}, ${meta.cpu}, ${meta.loadGenerator}, ${meta.redis}, Portkey ${meta.portkey}`);
  const commands: Array<{ system: string; role: string; command: string }> = [];

  redis = await startPrivateRedis(await freePort(), dir);
  commands.push({ system: 'AILB split', role: 'redis', command: describeCommand({ program: 'redis-server', args: redis.server.child.spawnargs.slice(1), env: {} }) });
  const mockProcess = mockSpec();
  commands.push({ system: 'all', role: 'mock', command: describeCommand(mockProcess.command, []) });
  const mock = await spawnChild('mock upstream', mockProcess.command, { ready: mockProcess.ready });
  const mockUrl = mockProcess.url!(mock.readyLine);
  const configPath = join(dir, 'ailb.yaml');
  writeFileSync(configPath, ailbConfigYaml(mockUrl, MOCK_MODEL));
  const governedConfigPath = join(dir, 'ailb-governed.yaml');
  writeFileSync(governedConfigPath, governedConfigYaml(mockUrl, MOCK_MODEL));

  const systems: RunningSystem[] = [];
  // Governed runs right after embedded in every round: the two are compared, so they share the moment.
  const specs = [
    directSystem(),
    embeddedSystem(configPath, join(dir, 'embedded-data')),
    ...(KNOWLEDGE_ONLY ? [] : [governedSystem(governedConfigPath, join(dir, 'governed-data'))]),
    splitSystem(configPath, redis.url, join(dir, 'split-data')),
  ];
  if (!KNOWLEDGE_ONLY) specs.push(portkeySystem(await freePort(), mockUrl));
  for (const spec of specs) {
    systems.push(await startSystem(spec, mock, mockUrl, commands));
  }
  log('started:');
  for (const entry of commands) log(`  ${entry.system} / ${entry.role}: ${entry.command}`);

  const context: PhaseContext = { systems, mockUrl, redis, dir, log };
  log('verifying answers (status 200, the mock\'s content, [DONE]) through every system…');
  const verification = await verify(context);
  let sideBySide: { phases: Awaited<ReturnType<typeof runPhases>>; summary: ReturnType<typeof summarize> } | undefined;
  if (!KNOWLEDGE_ONLY) {
    log('warming up…');
    await warmUp(context);
    log('measuring:');
    const phases = await runPhases(context);
    const rss: Record<string, number> = { mock: rssMiB(mock.pid), 'split/redis': rssMiB(redis.server.pid) };
    for (const system of systems) {
      system.children.forEach((child, index) => (rss[`${system.spec.id}/${system.spec.processes[index]!.role}`] = rssMiB(child.pid)));
      if (system.pids.chroma !== undefined) rss[`${system.spec.id}/chroma`] = rssMiB(system.pids.chroma);
    }
    sideBySide = { phases, summary: summarize(phases, rss) };
  }

  const knowledgeSystems = systems.filter((system) => system.spec.knowledge);
  const knowledge = await runKnowledge({ ...context, corpus }, knowledgeSystems, systems.find((system) => system.spec.id === 'direct')!);
  const knowledgeSummary = summarizeKnowledge(knowledge);
  meta.loadAverageAtEnd = loadavg().map((value) => value.toFixed(2)).join(' ');

  const header = [
    `AILB benchmark — commit ${meta.commit}, ${meta.date}`,
    `node ${meta.node}; ${meta.cpu}; ${meta.loadGenerator}; ${meta.redis}; Portkey ${meta.portkey}; CLK_TCK ${meta.clockTicks}`,
    `load average at start ${meta.loadAverageAtStart}, at end ${meta.loadAverageAtEnd}; the benchmark took ${((performance.now() - benchStart) / 1000).toFixed(0)} s`,
    `max throughput: ${PLAN.connections} connections, ${PLAN.maxSeconds} s × ${PLAN.maxRounds} interleaved rounds; fixed rate: open loop, ${PLAN.latencyRate} req/s × ${PLAN.latencyPerRound} requests × ${PLAN.latencyRounds} rounds (streams: ${PLAN.ttftRate}/s × ${PLAN.ttftPerRound} × ${PLAN.ttftRounds}), after ${PLAN.latencyWarmup} (${PLAN.ttftWarmup}) warm-up requests`,
    ...(QUICK ? ['BENCH_QUICK=1: shortened smoke-test runs; do not use these numbers for decisions'] : []),
    ...(KNOWLEDGE_ONLY ? ['BENCH_KNOWLEDGE_ONLY=1: the knowledge section only'] : []),
    '',
  ];
  const started = ['', 'Processes (cwd: the repository root):', ...commands.map((entry) => `  ${entry.system} / ${entry.role}: ${entry.command}`)];
  const sections = [...(sideBySide ? [renderReport(sideBySide.summary)] : []), renderKnowledge(knowledge, knowledgeSummary)];
  process.stdout.write(`${header.join('\n')}\n${sections.join('\n\n')}\n${started.join('\n')}\n`);

  if (process.env.BENCH_OUT) {
    writeFileSync(process.env.BENCH_OUT, `${JSON.stringify({ meta, plan: PLAN, commands, verification, ...sideBySide, knowledge: { summary: knowledgeSummary, ...knowledge } }, null, 1)}\n`);
    log(`full results: ${process.env.BENCH_OUT}`);
  }
}

main()
  .then(() => cleanup())
  .then(
    () => process.exit(0),
    async (error: unknown) => {
      // After Ctrl-C the runs fail because their processes were stopped: that is not news.
      if (interrupted) return;
      log(`\nBENCHMARK ABORTED: ${error instanceof Error ? error.message : String(error)}`);
      await cleanup().catch(() => undefined);
      process.exit(1);
    },
  );

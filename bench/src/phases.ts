import { cpus } from 'node:os';
import { runningPids, type Child } from './children.js';
import { runMaxLoad, runOpenLoop, type MaxLoadResult } from './load-runs.js';
import { chatRequestBody } from './mock-content.js';
import type { OpenLoopResult } from './open-loop.js';
import { cpuDelta, cpuMs, machineCpu, snapshotCpu } from './proc-stats.js';
import { redisDelta, type PrivateRedis, type RedisDelta } from './redis-server.js';
import type { SystemId, SystemSpec } from './systems.js';

/*
 * The measurements. Every run is wrapped the same way: CPU of each process of the system (and of the
 * mock, and Redis for split) from /proc before and after, a Redis INFO snapshot before and after (for
 * split the cost of its requests; for the others an idle window of split, i.e. its background), and
 * the mock's call count (upstream calls per client request). Systems run one at a time, the others
 * idle, in interleaved rounds (A B C D A B C D) so that drift of the shared machine favours none.
 */

/** A started system: where clients send requests and which processes count towards its CPU. */
export interface RunningSystem {
  spec: SystemSpec;
  /** Base URL (`http://127.0.0.1:port`). */
  url: string;
  children: Child[];
  /** Every process whose CPU is read around a run: the system's own, then `redis` (split) and `mock`. */
  pids: Record<string, number>;
}

/** One measured run of one system. */
export interface RunRecord<T> {
  system: SystemId;
  round: number;
  value: T;
  /** CPU milliseconds per process (keys of `RunningSystem.pids`) over the run. */
  cpuMs: Record<string, number>;
  /** Requests the run sent (for CPU per request; includes open-loop warm-up, which also cost CPU). */
  requestsSent: number;
  redis: RedisDelta;
  upstreamCalls: number;
  machine: MachineShare;
}

/** How busy the machine was during a run, and with what. */
export interface MachineShare {
  wallMs: number;
  /** CPU of processes that are not the benchmark's (another user's build or tests): contamination. */
  foreignMs: number;
  /** Kernel irq/softirq time (mostly loopback networking), charged to no process. */
  irqMs: number;
  /** Time the hypervisor took away. */
  stealMs: number;
}

export interface Phases {
  maxThroughput: Array<RunRecord<MaxLoadResult>>;
  maxStreams: Array<RunRecord<MaxLoadResult>>;
  latency: Array<RunRecord<OpenLoopResult>>;
  ttft: Array<RunRecord<OpenLoopResult>>;
  /** Runs thrown away because other processes were busy meanwhile (kept for the record). */
  discarded: Array<RunRecord<unknown> & { phase: string }>;
}

/** BENCH_QUICK=1: a smoke test of the harness itself (~1 minute); its numbers are not for decisions. */
export const QUICK = process.env.BENCH_QUICK === '1';

/** Sizes of the runs; the defaults keep the whole benchmark near four minutes. */
export const PLAN = {
  connections: 32,
  maxSeconds: QUICK ? 2 : 10,
  maxRounds: 2,
  streamMaxSeconds: QUICK ? 2 : 10,
  streamMaxRounds: 1,
  latencyRate: 200,
  latencyRounds: 2,
  latencyPerRound: QUICK ? 200 : 1000,
  latencyWarmup: QUICK ? 40 : 100,
  ttftRate: 50,
  ttftRounds: 2,
  ttftPerRound: QUICK ? 50 : 250,
  ttftWarmup: QUICK ? 10 : 25,
  // JIT tiers and pools take a few seconds: with 2 s, the first measured round still ran ~40% slower.
  warmupSeconds: QUICK ? 1 : 5,
  streamWarmupSeconds: QUICK ? 1 : 2,
  settleMs: QUICK ? 300 : 500,
  requestTimeoutMs: 10_000,
};

/** Other processes' CPU above this share of the machine during a run makes the run suspect. */
export const FOREIGN_WARNING_PERCENT = 5;
/** A run during which other processes used more than this is discarded and run again, once the machine is quiet. */
export const FOREIGN_RETRY_PERCENT = 10;
/** Bounds on re-runs (count per run, wall time in all, waiting included), so a machine that never calms
 * down still gives a (flagged) result in bounded time. */
const RETRIES_PER_RUN = 2;
const RETRY_BUDGET_MS = QUICK ? 10_000 : 45_000;

export interface PhaseContext {
  systems: RunningSystem[];
  mockUrl: string;
  redis: PrivateRedis;
  dir: string;
  log: (line: string) => void;
}

const chatPath = '/v1/chat/completions';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The mock's counters: chat calls, and those that carried AILB's RAG context. */
export async function mockStats(mockUrl: string): Promise<{ chatCalls: number; contextCalls: number }> {
  const response = await fetch(`${mockUrl}/bench/stats`);
  return (await response.json()) as { chatCalls: number; contextCalls: number };
}

const mockCalls = async (mockUrl: string) => (await mockStats(mockUrl)).chatCalls;

export type Work<T> = () => Promise<{ value: T; requestsSent: number; generatorCpuMs: number }>;

/** CPU so far of the harness and every long-lived child (by PID), to tell it from everyone else's. */
function benchCpu(): Map<number, number> {
  const usage = process.cpuUsage();
  const byPid = new Map(runningPids().map((pid) => [pid, cpuMs(pid)]));
  byPid.set(process.pid, (usage.user + usage.system) / 1000);
  return byPid;
}

function machineShare(start: { wall: number; machine: ReturnType<typeof machineCpu>; bench: Map<number, number> }, generatorCpuMs: number): MachineShare {
  const machine = machineCpu();
  const bench = benchCpu();
  let benchMs = generatorCpuMs;
  for (const [pid, before] of start.bench) {
    const after = bench.get(pid);
    if (after !== undefined && Number.isFinite(after) && Number.isFinite(before)) benchMs += after - before;
  }
  return {
    wallMs: performance.now() - start.wall,
    foreignMs: Math.max(0, machine.processMs - start.machine.processMs - benchMs),
    irqMs: machine.irqMs - start.machine.irqMs,
    stealMs: machine.stealMs - start.machine.stealMs,
  };
}

export const foreignPercent = (share: MachineShare) => (100 * share.foreignMs) / (share.wallMs * cpus().length);

/** Waits (at most `maxMs`) for a second in which other processes use less than the warning share; returns their last share. */
export async function waitForQuietSecond(maxMs: number): Promise<number> {
  let percent = Number.NaN;
  for (const deadline = performance.now() + maxMs; performance.now() < deadline; ) {
    const start = { wall: performance.now(), machine: machineCpu(), bench: benchCpu() };
    await sleep(1000);
    percent = foreignPercent(machineShare(start, 0));
    if (percent < FOREIGN_WARNING_PERCENT) break;
  }
  return percent;
}

/** Runs `work` for one system with CPU, Redis, upstream-call and machine accounting around it. */
export async function measure<T>(context: PhaseContext, system: RunningSystem, round: number, work: Work<T>): Promise<RunRecord<T>> {
  await sleep(PLAN.settleMs); // let the previous run's tail (closing sockets, queue cleanup) pass
  const callsBefore = await mockCalls(context.mockUrl);
  const redisBefore = await context.redis.snapshot();
  const start = { wall: performance.now(), machine: machineCpu(), bench: benchCpu() };
  const cpuBefore = snapshotCpu(system.pids);
  const { value, requestsSent, generatorCpuMs } = await work();
  const cpuAfter = snapshotCpu(system.pids);
  const machine = machineShare(start, generatorCpuMs);
  const redisAfter = await context.redis.snapshot();
  const callsAfter = await mockCalls(context.mockUrl);
  return {
    system: system.spec.id,
    round,
    value,
    cpuMs: cpuDelta(cpuBefore, cpuAfter),
    requestsSent,
    redis: redisDelta(redisBefore, redisAfter),
    upstreamCalls: callsAfter - callsBefore,
    machine,
  };
}

function maxLoad(context: PhaseContext, system: RunningSystem, stream: boolean, seconds: number) {
  return async () => {
    const value = await runMaxLoad({ url: `${system.url}${chatPath}`, headers: system.spec.headers, body: chatRequestBody(stream), seconds, connections: PLAN.connections, dir: context.dir });
    if (value.errors > 0) throw new Error(`${system.spec.label}: ${value.errors} failed requests at maximum throughput (${value.errorDetail}); the run is invalid`);
    return { value, requestsSent: value.requests, generatorCpuMs: value.generatorCpuMs };
  };
}

function openLoop(system: RunningSystem, stream: boolean, rate: number, warmup: number, count: number) {
  return async () => {
    const value = await runOpenLoop({ url: `${system.url}${chatPath}`, headers: system.spec.headers, body: chatRequestBody(stream), stream, rate, warmup, count, timeoutMs: PLAN.requestTimeoutMs });
    if (value.failures > 0) throw new Error(`${system.spec.label}: ${value.failures} failed requests at ${rate} req/s${stream ? ' (streaming)' : ''}: ${value.failureSamples.join(' | ')}`);
    return { value, requestsSent: warmup + count, generatorCpuMs: value.processCpuMs };
  };
}

/**
 * Checks before measuring that every system really answers with the mock's content, streaming and
 * not (the open-loop generator checks every answer), and that one client request is one upstream call.
 */
export async function verify(context: PhaseContext): Promise<Array<{ system: SystemId; stream: boolean; upstreamCallsPerRequest: number }>> {
  const checks: Array<{ system: SystemId; stream: boolean; upstreamCallsPerRequest: number }> = [];
  for (const system of context.systems) {
    for (const stream of [false, true]) {
      const record = await measure(context, system, 0, openLoop(system, stream, 50, 0, 10));
      checks.push({ system: system.spec.id, stream, upstreamCallsPerRequest: record.upstreamCalls / record.requestsSent });
    }
  }
  return checks;
}

/** Short closed-loop warm-up of every system (JIT, connection pools), streaming and not; not recorded. */
export async function warmUp(context: PhaseContext): Promise<void> {
  for (const system of context.systems) {
    const gateway = system.spec.id !== 'direct'; // the mock needs no more than a second
    await maxLoad(context, system, false, gateway ? PLAN.warmupSeconds : 1)();
    await maxLoad(context, system, true, gateway ? PLAN.streamWarmupSeconds : 1)();
  }
}

/** Every measurement, interleaved by rounds. */
export async function runPhases(context: PhaseContext): Promise<Phases> {
  const phases: Phases = { maxThroughput: [], maxStreams: [], latency: [], ttft: [], discarded: [] };
  let retryBudgetMs = RETRY_BUDGET_MS;
  const rounds = async <T>(label: string, count: number, into: Array<RunRecord<T>>, work: (system: RunningSystem) => Work<T>, show: (value: T) => string) => {
    for (let round = 1; round <= count; round++) {
      for (const system of context.systems) {
        for (let attempt = 0; ; attempt++) {
          const record = await measure(context, system, round, work(system));
          const foreign = foreignPercent(record.machine);
          const busy = foreign >= FOREIGN_WARNING_PERCENT ? `   (other processes used ${foreign.toFixed(0)}% of the CPU meanwhile)` : '';
          context.log(`  ${label}, round ${round}/${count}, ${system.spec.label}: ${show(record.value)}${busy}`);
          if (foreign < FOREIGN_RETRY_PERCENT || attempt >= RETRIES_PER_RUN || retryBudgetMs < record.machine.wallMs + 5_000) {
            into.push(record);
            break;
          }
          // Someone else's build or tests shared the cores: this run says little about the system.
          phases.discarded.push({ ...record, phase: label });
          const waitStart = performance.now();
          const quiet = await waitForQuietSecond(10_000);
          retryBudgetMs -= record.machine.wallMs + (performance.now() - waitStart);
          context.log(`    discarded; running it again (other processes now at ${quiet.toFixed(0)}%; re-run budget left ${Math.max(0, retryBudgetMs / 1000).toFixed(0)} s)`);
        }
      }
    }
  };
  const rps = (value: MaxLoadResult) => `${value.requestsPerSecond.toFixed(0)} req/s`;
  const p50 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]?.toFixed(2) ?? '—';

  await rounds(`max throughput (${PLAN.connections} connections, ${PLAN.maxSeconds} s)`, PLAN.maxRounds, phases.maxThroughput, (system) => maxLoad(context, system, false, PLAN.maxSeconds), rps);
  await rounds(`max streams (${PLAN.connections} connections, ${PLAN.streamMaxSeconds} s)`, PLAN.streamMaxRounds, phases.maxStreams, (system) => maxLoad(context, system, true, PLAN.streamMaxSeconds), rps);
  await rounds(
    `latency at ${PLAN.latencyRate} req/s`,
    PLAN.latencyRounds,
    phases.latency,
    (system) => openLoop(system, false, PLAN.latencyRate, PLAN.latencyWarmup, PLAN.latencyPerRound),
    (value) => `p50 ${p50(value.latencyMs)} ms`,
  );
  await rounds(
    `streaming TTFT at ${PLAN.ttftRate} req/s`,
    PLAN.ttftRounds,
    phases.ttft,
    (system) => openLoop(system, true, PLAN.ttftRate, PLAN.ttftWarmup, PLAN.ttftPerRound),
    (value) => `TTFT p50 ${p50(value.latencyMs)} ms`,
  );
  return phases;
}

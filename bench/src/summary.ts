import { cpus } from 'node:os';
import type { MaxLoadResult } from './load-runs.js';
import type { OpenLoopResult } from './open-loop.js';
import { FOREIGN_WARNING_PERCENT, type Phases, type RunRecord } from './phases.js';
import { addDeltas, perRequest } from './redis-server.js';
import { median, percentile, ratio, sum } from './stats.js';
import type { SystemId } from './systems.js';

/*
 * Turns raw runs into the numbers the report prints and the targets are judged on. Pure: everything
 * here can be recomputed from the JSON the benchmark writes (BENCH_OUT).
 */

/** Report column order: governed next to the plain embedded system it is compared with. */
export const SYSTEM_IDS: SystemId[] = ['direct', 'embedded', 'governed', 'split', 'portkey'];

/** The governance target: what the key check, three rate-limit rules and a tenant budget may add at p50. */
export const GOVERNANCE_P50_TARGET_MS = 0.2;

export interface SystemSummary {
  maxRps: number[];
  maxRpsBest: number;
  maxRpsMedian: number;
  maxStreamsRps: number;
  latencyP50: number;
  latencyP99: number;
  addedP50: number;
  addedP99: number;
  overheadHeaderP50: number;
  overheadHeaderP99: number;
  sendLagP50: number;
  sendLagP99: number;
  ttftP50: number;
  ttftP99: number;
  addedTtftP50: number;
  addedTtftP99: number;
  streamTotalP50: number;
  /** CPU ms per request per process ('generator' is the load generator). */
  cpuMax: Record<string, number>;
  cpuLatency: Record<string, number>;
  cpuStreams: Record<string, number>;
  /** Upstream (mock) calls per client request over the fixed-rate runs: 1.000 when nothing is retried. */
  upstreamCallsPerRequest: number;
  /** The largest share of the machine (percent of all cores) other processes used during one of its runs. */
  foreignPercentMax: number;
  /** The largest share of the machine the hypervisor took away (steal) during one of its runs. */
  stealPercentMax: number;
}

export interface RedisCost {
  commands: number;
  commandsProcessed: number;
  reads: number;
  perCommand: Record<string, number>;
}

/**
 * What governance costs: the governed system (API key, three rate-limit rules with a token limit, a
 * tenant budget) minus the plain embedded system, same entry and environment, interleaved runs.
 */
export interface GovernanceCost {
  /** Latency p50 / p99 at 200 req/s, governed − embedded (ms). */
  addedP50: number;
  addedP99: number;
  /** Streaming time to first token p50, governed − embedded (ms). */
  addedTtftP50: number;
  /** CPU ms per request of the AILB process at 200 req/s: governed, embedded, and the difference. */
  cpuLatency: { governed: number; embedded: number; added: number };
  /** The same over the max-throughput runs. */
  cpuMax: { governed: number; embedded: number; added: number };
  /** Best max req/s, governed / embedded. */
  maxRpsRatio: number;
}

export interface Summary {
  systems: Record<SystemId, SystemSummary>;
  governance: GovernanceCost;
  redis: { nonStreaming: RedisCost; streaming: RedisCost; maxThroughput: RedisCost; idleCommandsPerSecond: number; idleReadsPerSecond: number; idleSeconds: number };
  rssMiB: Record<string, number>;
  targets: Target[];
  sanity: Target[];
  /** Runs that were thrown away and repeated because other processes were busy meanwhile. */
  discarded: string[];
}

export interface Target {
  name: string;
  value: string;
  pass: boolean;
}

const of = <T>(records: Array<RunRecord<T>>, system: SystemId) => records.filter((record) => record.system === system);
const pooled = (records: Array<RunRecord<OpenLoopResult>>, pick: (value: OpenLoopResult) => number[]) => records.flatMap((record) => pick(record.value));

/** CPU ms per request per process over some runs, the load generator included. */
function cpuPerRequest<T>(records: Array<RunRecord<T>>, generatorCpu: (record: RunRecord<T>) => { ms: number; requests: number }): Record<string, number> {
  const requests = sum(records.map((record) => record.requestsSent));
  const result: Record<string, number> = {};
  for (const name of Object.keys(records[0]?.cpuMs ?? {})) result[name] = sum(records.map((record) => record.cpuMs[name] ?? Number.NaN)) / requests;
  const generator = records.map(generatorCpu);
  result.generator = sum(generator.map((entry) => entry.ms)) / sum(generator.map((entry) => entry.requests));
  // Kernel irq/softirq time of the whole machine (loopback networking, mostly), charged to no process.
  result.irq = sum(records.map((record) => record.machine.irqMs)) / requests;
  return result;
}

const maxGenerator = (record: RunRecord<MaxLoadResult>) => ({ ms: record.value.generatorCpuMs, requests: record.value.requests });
const openGenerator = (record: RunRecord<OpenLoopResult>) => ({ ms: record.value.cpuMs, requests: record.value.latencyMs.length });

function systemSummary(phases: Phases, system: SystemId, direct?: SystemSummary): SystemSummary {
  const max = of(phases.maxThroughput, system).map((record) => record.value.requestsPerSecond);
  const latency = of(phases.latency, system);
  const ttft = of(phases.ttft, system);
  const latencies = pooled(latency, (value) => value.latencyMs);
  const ttfts = pooled(ttft, (value) => value.latencyMs);
  const overhead = pooled(latency, (value) => value.overheadHeaderMs);
  const lag = pooled([...latency, ...ttft], (value) => value.sendLagMs);
  const runs = [...of(phases.maxThroughput, system), ...of(phases.maxStreams, system), ...latency, ...ttft];
  const share = (ms: number, record: RunRecord<unknown>) => (100 * ms) / (record.machine.wallMs * cpus().length);
  const latencyP50 = percentile(latencies, 0.5);
  const latencyP99 = percentile(latencies, 0.99);
  const ttftP50 = percentile(ttfts, 0.5);
  const ttftP99 = percentile(ttfts, 0.99);
  return {
    maxRps: max,
    maxRpsBest: Math.max(...max),
    maxRpsMedian: median(max),
    maxStreamsRps: median(of(phases.maxStreams, system).map((record) => record.value.requestsPerSecond)),
    latencyP50,
    latencyP99,
    addedP50: latencyP50 - (direct?.latencyP50 ?? latencyP50),
    addedP99: latencyP99 - (direct?.latencyP99 ?? latencyP99),
    overheadHeaderP50: percentile(overhead, 0.5),
    overheadHeaderP99: percentile(overhead, 0.99),
    sendLagP50: percentile(lag, 0.5),
    sendLagP99: percentile(lag, 0.99),
    ttftP50,
    ttftP99,
    addedTtftP50: ttftP50 - (direct?.ttftP50 ?? ttftP50),
    addedTtftP99: ttftP99 - (direct?.ttftP99 ?? ttftP99),
    streamTotalP50: percentile(pooled(ttft, (value) => value.totalMs), 0.5),
    cpuMax: cpuPerRequest(of(phases.maxThroughput, system), maxGenerator),
    cpuLatency: cpuPerRequest(latency, openGenerator),
    cpuStreams: cpuPerRequest(of(phases.maxStreams, system), maxGenerator),
    upstreamCallsPerRequest: sum(latency.map((record) => record.upstreamCalls)) / sum(latency.map((record) => record.requestsSent)),
    foreignPercentMax: Math.max(...runs.map((record) => share(record.machine.foreignMs, record))),
    stealPercentMax: Math.max(...runs.map((record) => share(record.machine.stealMs, record))),
  };
}

/** Governed − embedded, from the two systems' summaries (the AILB process is role `ailb` in both). */
export function governanceCost(embedded: SystemSummary, governed: SystemSummary): GovernanceCost {
  const cpu = (pick: (system: SystemSummary) => Record<string, number>) => {
    const plain = pick(embedded).ailb ?? Number.NaN;
    const withGovernance = pick(governed).ailb ?? Number.NaN;
    return { governed: withGovernance, embedded: plain, added: withGovernance - plain };
  };
  return {
    addedP50: governed.latencyP50 - embedded.latencyP50,
    addedP99: governed.latencyP99 - embedded.latencyP99,
    addedTtftP50: governed.ttftP50 - embedded.ttftP50,
    cpuLatency: cpu((system) => system.cpuLatency),
    cpuMax: cpu((system) => system.cpuMax),
    maxRpsRatio: ratio(governed.maxRpsBest, embedded.maxRpsBest),
  };
}

const format = (value: number, digits = 2) => (Number.isFinite(value) ? value.toFixed(digits) : '—');

/** Computes every summary number and judges the targets. */
export function summarize(phases: Phases, rssMiB: Record<string, number>): Summary {
  const direct = systemSummary(phases, 'direct');
  const systems = {
    direct,
    embedded: systemSummary(phases, 'embedded', direct),
    governed: systemSummary(phases, 'governed', direct),
    split: systemSummary(phases, 'split', direct),
    portkey: systemSummary(phases, 'portkey', direct),
  };
  const governance = governanceCost(systems.embedded, systems.governed);

  // Redis: split's runs are its load; everyone else's runs are windows in which split sat idle.
  const all = [...phases.maxThroughput, ...phases.maxStreams, ...phases.latency, ...phases.ttft];
  const idle = addDeltas(all.filter((record) => record.system !== 'split').map((record) => record.redis));
  const cost = <T>(records: Array<RunRecord<T>>, requests: (record: RunRecord<T>) => number): RedisCost => {
    const split = of(records, 'split');
    return perRequest(addDeltas(split.map((record) => record.redis)), idle, sum(split.map(requests)));
  };
  const redis = {
    nonStreaming: cost(phases.latency, (record) => record.requestsSent),
    streaming: cost(phases.ttft, (record) => record.requestsSent),
    maxThroughput: cost(phases.maxThroughput, (record) => record.value.requests),
    idleCommandsPerSecond: idle.commandCalls / idle.seconds,
    idleReadsPerSecond: idle.readsProcessed / idle.seconds,
    idleSeconds: idle.seconds,
  };

  const { embedded, split, portkey } = systems;
  const times = (a: number, b: number) => `${format(ratio(a, b))}×`;
  // The target is for AILB's own processes; the embedder and Chroma hold a model and a database.
  const ailbRss = Object.entries(rssMiB).filter(([name]) => ['embedded/ailb', 'governed/ailb', 'split/gateway', 'split/worker'].includes(name));
  const targets: Target[] = [
    { name: 'max req/s: AILB split ≥ 2.0× Portkey', value: times(split.maxRpsBest, portkey.maxRpsBest), pass: ratio(split.maxRpsBest, portkey.maxRpsBest) >= 2 },
    { name: 'max req/s: AILB embedded ≥ 2.0× Portkey', value: times(embedded.maxRpsBest, portkey.maxRpsBest), pass: ratio(embedded.maxRpsBest, portkey.maxRpsBest) >= 2 },
    { name: 'added p50 @200 req/s: embedded < Portkey', value: `${format(embedded.addedP50)} vs ${format(portkey.addedP50)} ms`, pass: embedded.addedP50 < portkey.addedP50 },
    { name: 'added p50 @200 req/s: embedded ≤ 1.0 ms (aim)', value: `${format(embedded.addedP50)} ms`, pass: embedded.addedP50 <= 1 },
    { name: 'added p50 @200 req/s: split ≤ 1.25× Portkey', value: times(split.addedP50, portkey.addedP50), pass: ratio(split.addedP50, portkey.addedP50) <= 1.25 },
    { name: 'added p99 @200 req/s: embedded < Portkey', value: `${format(embedded.addedP99)} vs ${format(portkey.addedP99)} ms`, pass: embedded.addedP99 < portkey.addedP99 },
    { name: 'added p99 @200 req/s: split < Portkey', value: `${format(split.addedP99)} vs ${format(portkey.addedP99)} ms`, pass: split.addedP99 < portkey.addedP99 },
    { name: 'added TTFT p50 @50 streams/s: split ≤ 2 ms', value: `${format(split.addedTtftP50)} ms`, pass: split.addedTtftP50 <= 2 },
    { name: 'Redis round trips per request (non-streaming) ≤ 3', value: format(redis.nonStreaming.reads), pass: redis.nonStreaming.reads <= 3 },
    { name: 'Redis commands per request (non-streaming) ≤ 35', value: format(redis.nonStreaming.commands, 1), pass: redis.nonStreaming.commands <= 35 },
    {
      name: `governance (key + 3 rate-limit rules incl. tokens + tenant budget) adds ≤ ${GOVERNANCE_P50_TARGET_MS} ms p50 @200 req/s`,
      value: `${format(governance.addedP50)} ms (governed ${format(systems.governed.latencyP50)} − embedded ${format(embedded.latencyP50)})`,
      pass: governance.addedP50 <= GOVERNANCE_P50_TARGET_MS,
    },
    ...ailbRss.map(([name, mib]) => ({ name: `RSS ${name} ≤ 150 MiB`, value: `${format(mib, 0)} MiB`, pass: mib <= 150 })),
  ];
  const foreign = Math.max(...SYSTEM_IDS.map((id) => systems[id].foreignPercentMax));
  const steal = Math.max(...SYSTEM_IDS.map((id) => systems[id].stealPercentMax));
  const sanity: Target[] = [
    { name: `quiet machine: other processes < ${FOREIGN_WARNING_PERCENT}% of the CPU in every run`, value: `max ${format(foreign, 1)}%`, pass: foreign < FOREIGN_WARNING_PERCENT },
    { name: `quiet machine: hypervisor steal < ${FOREIGN_WARNING_PERCENT}% in every run`, value: `max ${format(steal, 1)}%`, pass: steal < FOREIGN_WARNING_PERCENT },
    { name: 'mock upstream direct ≥ 20k req/s (far faster than any system)', value: `${format(direct.maxRpsBest, 0)} req/s`, pass: direct.maxRpsBest >= 20_000 },
    ...(['embedded', 'governed', 'split', 'portkey'] as const).map((id) => ({
      name: `${id}: one upstream call per request (fixed-rate runs)`,
      value: format(systems[id].upstreamCallsPerRequest, 3),
      pass: Math.abs(systems[id].upstreamCallsPerRequest - 1) < 0.005,
    })),
  ];
  const discarded = phases.discarded.map((record) => `${record.phase}, ${record.system}, round ${record.round}: other processes ${format((100 * record.machine.foreignMs) / (record.machine.wallMs * cpus().length), 0)}%`);
  return { systems, governance, redis, rssMiB, targets, sanity, discarded };
}

import { describe, expect, it } from 'vitest';
import type { MaxLoadResult } from './load-runs.js';
import type { OpenLoopResult } from './open-loop.js';
import type { Phases, RunRecord } from './phases.js';
import { renderReport } from './report.js';
import { GOVERNANCE_P50_TARGET_MS, SYSTEM_IDS, summarize } from './summary.js';
import type { SystemId } from './systems.js';

/*
 * The governance comparison from synthetic runs: every number below is chosen so the expected
 * result can be worked out by hand (nearest-rank percentiles over 100 samples).
 */

const quietMachine = { wallMs: 10_000, foreignMs: 0, irqMs: 0, stealMs: 0 };
const noRedis = { seconds: 10, commandCalls: 0, commandsProcessed: 0, readsProcessed: 0, perCommand: {} };

/** 100 latencies whose nearest-rank p50 is `p50` and p99 is `p99` (one slower outlier above both). */
function latencies(p50: number, p99: number): number[] {
  return [...Array<number>(50).fill(p50), ...Array<number>(49).fill(p99), p99 * 10];
}

function openLoopRecord(system: SystemId, latencyMs: number[], cpuMs: Record<string, number>): RunRecord<OpenLoopResult> {
  const value: OpenLoopResult = { msg: 'open-loop result', latencyMs, totalMs: latencyMs, overheadHeaderMs: [], headerTally: {}, sendLagMs: [0.1], failures: 0, failureSamples: [], cpuMs: 100, processCpuMs: 120, seconds: 5 };
  return { system, round: 1, value, cpuMs, requestsSent: latencyMs.length, redis: noRedis, upstreamCalls: latencyMs.length, machine: quietMachine };
}

function maxRecord(system: SystemId, round: number, requestsPerSecond: number, cpuMs: Record<string, number>): RunRecord<MaxLoadResult> {
  const requests = requestsPerSecond * 10;
  const value: MaxLoadResult = { tool: 'wrk', requests, seconds: 10, requestsPerSecond, errors: 0, errorDetail: '', generatorCpuMs: 1000 };
  return { system, round, value, cpuMs, requestsSent: requests, redis: noRedis, upstreamCalls: requests, machine: quietMachine };
}

/** Every system measured once at a fixed rate and twice at max throughput; only embedded and governed matter here. */
function phases(governedP50: number): Phases {
  const cpuOf = (system: SystemId, ailbMs: number): Record<string, number> => (system === 'split' ? { gateway: ailbMs, worker: ailbMs, redis: 1, mock: 5 } : system === 'portkey' ? { portkey: ailbMs, mock: 5 } : { ailb: ailbMs, chroma: 1, mock: 5 });
  const latency = {
    direct: openLoopRecord('direct', latencies(1, 2), { mock: 5 }),
    embedded: openLoopRecord('embedded', latencies(2, 6), cpuOf('embedded', 25)), // 0.25 ms per request
    governed: openLoopRecord('governed', latencies(governedP50, 7), cpuOf('governed', 28)), // 0.28 ms per request
    split: openLoopRecord('split', latencies(4, 12), cpuOf('split', 30)),
    portkey: openLoopRecord('portkey', latencies(3, 20), cpuOf('portkey', 90)),
  };
  const max: Array<RunRecord<MaxLoadResult>> = [
    maxRecord('direct', 1, 40_000, { mock: 5000 }),
    maxRecord('embedded', 1, 3_800, cpuOf('embedded', 9_500)),
    maxRecord('embedded', 2, 4_000, cpuOf('embedded', 10_000)), // 19,500 ms over 78,000 requests: 0.25
    maxRecord('governed', 1, 3_600, cpuOf('governed', 10_800)),
    maxRecord('governed', 2, 3_400, cpuOf('governed', 10_200)), // 21,000 ms over 70,000 requests: 0.30
    maxRecord('split', 1, 2_000, cpuOf('split', 10_000)),
    maxRecord('portkey', 1, 1_000, cpuOf('portkey', 15_000)),
  ];
  const fixedRate = SYSTEM_IDS.map((id) => latency[id]);
  return { maxThroughput: max, maxStreams: max, latency: fixedRate, ttft: fixedRate, discarded: [] };
}

const governanceTarget = (summary: ReturnType<typeof summarize>) => summary.targets.find((target) => target.name.startsWith('governance'));

describe('governance cost (governed − embedded)', () => {
  it('subtracts the embedded system from the governed one: latency, AILB CPU per request, max req/s', () => {
    const { governance } = summarize(phases(2.15), {});
    expect(governance.addedP50).toBeCloseTo(0.15, 10);
    expect(governance.addedP99).toBeCloseTo(1, 10);
    expect(governance.addedTtftP50).toBeCloseTo(0.15, 10);
    expect(governance.cpuLatency.embedded).toBeCloseTo(0.25, 10);
    expect(governance.cpuLatency.governed).toBeCloseTo(0.28, 10);
    expect(governance.cpuLatency.added).toBeCloseTo(0.03, 10);
    expect(governance.cpuMax.embedded).toBeCloseTo(0.25, 10);
    expect(governance.cpuMax.governed).toBeCloseTo(0.3, 10);
    expect(governance.cpuMax.added).toBeCloseTo(0.05, 10);
    expect(governance.maxRpsRatio).toBeCloseTo(0.9, 10); // best 3,600 against best 4,000
  });

  it(`passes the target at ≤ ${GOVERNANCE_P50_TARGET_MS} ms added p50 and misses it above`, () => {
    expect(governanceTarget(summarize(phases(2.15), {}))?.pass).toBe(true);
    expect(governanceTarget(summarize(phases(2.3), {}))?.pass).toBe(false);
  });

  it('misses the target when the governed system has no measurements (never a pass by default)', () => {
    const withoutGoverned = phases(2.15);
    withoutGoverned.latency = withoutGoverned.latency.filter((record) => record.system !== 'governed');
    const summary = summarize(withoutGoverned, {});
    expect(summary.governance.addedP50).toBeNaN();
    expect(governanceTarget(summary)?.pass).toBe(false);
  });

  it('prints the governance line and table and keeps the Portkey ratios of the other systems', () => {
    const report = renderReport(summarize(phases(2.15), { 'embedded/ailb': 120, 'governed/ailb': 125 }));
    expect(report).toContain('Governance: +0.15 ms p50, +1.00 ms p99 @200 req/s; AILB CPU +0.030 ms/request @200 req/s, +0.050 ms/request at max throughput; max req/s 0.90× embedded');
    expect(report).toMatch(/AILB CPU ms per request @200 req\/s\s+0\.250\s+0\.280\s+\+0\.030/);
    // Best max req/s: embedded 4,000 and split 2,000 against Portkey's 1,000; governed has no Portkey ratio.
    expect(report).toMatch(/max req\/s, non-streaming, best\s+40000\s+4000\s+3600\s+2000\s+1000\s+4\.00×\s+2\.00×/);
    expect(report).toMatch(/PASS {2}governance \(key \+ 3 rate-limit rules incl\. tokens \+ tenant budget\) adds ≤ 0\.2 ms p50 @200 req\/s/);
    expect(report).toMatch(/PASS {2}RSS governed\/ailb ≤ 150 MiB/);
  });
});

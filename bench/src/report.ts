import { ratio } from './stats.js';
import { GOVERNANCE_P50_TARGET_MS, SYSTEM_IDS, type Summary, type SystemSummary, type Target } from './summary.js';
import type { SystemId } from './systems.js';

/*
 * Plain-text tables: the side-by-side comparison first, then CPU per request per process, Redis, RSS
 * and the targets. Ratios are AILB / Portkey for every row (for latency rows, smaller is better); the
 * governed system is compared with the plain embedded one, not with Portkey.
 */

const dash = '—';
const fixed = (digits: number) => (value: number) => (Number.isFinite(value) ? value.toFixed(digits) : dash);
const ms = fixed(2);
const int = fixed(0);
const times = (value: number) => (Number.isFinite(value) ? `${value.toFixed(2)}×` : dash);

/** Renders rows as an aligned table: first column left-aligned, the others right-aligned. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: string[]) => cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ').trimEnd();
  return [line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)].join('\n');
}

const LABELS: Record<SystemId, string> = { direct: 'direct', embedded: 'AILB embedded', governed: 'AILB governed', split: 'AILB split', portkey: 'Portkey' };
const column = (id: SystemId) => SYSTEM_IDS.indexOf(id);

function comparison(summary: Summary): string {
  const { systems } = summary;
  type Row = [string, (system: SystemSummary) => number, (value: number) => string, boolean?];
  const rows: Row[] = [
    ['max req/s, non-streaming, run 1', (s) => s.maxRps[0] ?? Number.NaN, int],
    ['max req/s, non-streaming, run 2', (s) => s.maxRps[1] ?? Number.NaN, int],
    ['max req/s, non-streaming, best', (s) => s.maxRpsBest, int],
    ['max streams/s (8-chunk streams)', (s) => s.maxStreamsRps, int],
    ['latency p50 @200 req/s (ms)', (s) => s.latencyP50, ms],
    ['latency p99 @200 req/s (ms)', (s) => s.latencyP99, ms],
    ['added latency p50 @200 req/s (ms)', (s) => s.addedP50, ms, true],
    ['added latency p99 @200 req/s (ms)', (s) => s.addedP99, ms, true],
    ['x-ailb-overhead-ms p50 (header)', (s) => s.overheadHeaderP50, ms, true],
    ['x-ailb-overhead-ms p99 (header)', (s) => s.overheadHeaderP99, ms, true],
    ['TTFT p50 @50 streams/s (ms)', (s) => s.ttftP50, ms],
    ['TTFT p99 @50 streams/s (ms)', (s) => s.ttftP99, ms],
    ['added TTFT p50 (ms)', (s) => s.addedTtftP50, ms, true],
    ['added TTFT p99 (ms)', (s) => s.addedTtftP99, ms, true],
    ['stream complete p50 @50/s (ms)', (s) => s.streamTotalP50, ms],
  ];
  const body = rows.map(([name, pick, show, noDirect]) => {
    const values = SYSTEM_IDS.map((id) => pick(systems[id]));
    const cells = values.map((value, index) => (noDirect && index === 0 ? dash : show(value)));
    const portkey = values[column('portkey')]!;
    return [name, ...cells, times(ratio(values[column('embedded')]!, portkey)), times(ratio(values[column('split')]!, portkey))];
  });
  // Timer lateness of the open-loop generator: part of every latency above, the same for all systems.
  // Other processes' CPU during the system's runs: a large share means its numbers are suspect.
  body.push(['other processes, max % of CPU in a run', ...SYSTEM_IDS.map((id) => `${fixed(1)(systems[id].foreignPercentMax)}%`), dash, dash]);
  body.push(['generator send lag p50 / p99 (ms)', ...SYSTEM_IDS.map((id) => `${ms(systems[id].sendLagP50)} / ${ms(systems[id].sendLagP99)}`), dash, dash]);
  return table(['measurement', ...SYSTEM_IDS.map((id) => LABELS[id]), 'embedded/Portkey', 'split/Portkey'], body);
}

const PROCESS_ROWS: Array<[string, string, (id: string) => boolean]> = [
  ['ailb', 'AILB process (embedded)', (id) => id === 'embedded' || id === 'governed'],
  ['gateway', 'AILB gateway', (id) => id === 'split'],
  ['worker', 'AILB worker', (id) => id === 'split'],
  ['embedder', 'AILB embedder (idle)', (id) => id === 'split'],
  ['chroma', 'Chroma (idle, child of AILB)', (id) => id === 'embedded' || id === 'governed' || id === 'split'],
  ['redis', 'redis-server', (id) => id === 'split'],
  ['portkey', 'Portkey process', (id) => id === 'portkey'],
];

function cpuTable(summary: Summary, pick: (system: SystemSummary) => Record<string, number>): string {
  const value = (id: (typeof SYSTEM_IDS)[number], name: string) => pick(summary.systems[id])[name] ?? Number.NaN;
  const systemTotal = (id: (typeof SYSTEM_IDS)[number]) => PROCESS_ROWS.filter(([, , applies]) => applies(id)).reduce((total, [name]) => total + value(id, name), 0);
  const rows = PROCESS_ROWS.map(([name, label, applies]) => [label, ...SYSTEM_IDS.map((id) => (applies(id) ? fixed(3)(value(id, name)) : dash))]);
  rows.push(['system total', dash, ...SYSTEM_IDS.slice(1).map((id) => fixed(3)(systemTotal(id)))]);
  rows.push(['mock upstream', ...SYSTEM_IDS.map((id) => fixed(3)(value(id, 'mock')))]);
  rows.push(['load generator', ...SYSTEM_IDS.map((id) => fixed(3)(value(id, 'generator')))]);
  rows.push(['kernel irq/softirq (no process)', ...SYSTEM_IDS.map((id) => fixed(3)(value(id, 'irq')))]);
  const totals = SYSTEM_IDS.map((id) => systemTotal(id));
  const portkey = totals[column('portkey')]!;
  rows.push(['system total / Portkey', ...SYSTEM_IDS.map((id) => (id === 'embedded' || id === 'split' ? times(ratio(totals[column(id)]!, portkey)) : dash))]);
  return table(['CPU ms per request', ...SYSTEM_IDS.map((id) => LABELS[id])], rows);
}

function redisTable(summary: Summary): string {
  const { redis } = summary;
  const row = (label: string, cost: { commands: number; commandsProcessed: number; reads: number }) => [label, fixed(2)(cost.commands), fixed(2)(cost.commandsProcessed), fixed(2)(cost.reads)];
  const top = (perCommand: Record<string, number>) =>
    Object.entries(perCommand)
      .filter(([name, calls]) => name !== 'info' && calls >= 0.005)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 12)
      .map(([name, calls]) => `${name} ${calls.toFixed(2)}`)
      .join(', ');
  return [
    table(
      ['AILB split, Redis per request (idle background subtracted)', 'commands (commandstats)', 'total_commands_processed', 'reads ≈ round trips'],
      [row('non-streaming @200 req/s', redis.nonStreaming), row('streaming @50 streams/s', redis.streaming), row('non-streaming, max throughput', redis.maxThroughput)],
    ),
    `idle background (split idle, ${redis.idleSeconds.toFixed(0)} s observed): ${redis.idleCommandsPerSecond.toFixed(1)} commands/s, ${redis.idleReadsPerSecond.toFixed(1)} reads/s`,
    `commands per non-streaming request: ${top(redis.nonStreaming.perCommand)}`,
    `commands per streaming request:     ${top(redis.streaming.perCommand)}`,
    'commandstats counts commands run inside Lua scripts (BullMQ) as well; total_commands_processed counts',
    'what clients sent; a read is one read event on a client socket, about one round trip (pipelined commands share one).',
  ].join('\n');
}

/** Governed − embedded: what the key check, the rate-limit buckets and the budget check cost per request. */
function governanceTable(summary: Summary): string {
  const { governance, systems } = summary;
  const signed = (value: number, digits: number) => (Number.isFinite(value) ? `${value >= 0 ? '+' : ''}${value.toFixed(digits)}` : dash);
  const line = `Governance: ${signed(governance.addedP50, 2)} ms p50, ${signed(governance.addedP99, 2)} ms p99 @200 req/s; AILB CPU ${signed(governance.cpuLatency.added, 3)} ms/request @200 req/s, ${signed(governance.cpuMax.added, 3)} ms/request at max throughput; max req/s ${times(governance.maxRpsRatio)} embedded`;
  return [
    table(
      ['Governance (governed − embedded)', 'AILB embedded', 'AILB governed', 'added'],
      [
        ['latency p50 @200 req/s (ms)', ms(systems.embedded.latencyP50), ms(systems.governed.latencyP50), signed(governance.addedP50, 2)],
        ['latency p99 @200 req/s (ms)', ms(systems.embedded.latencyP99), ms(systems.governed.latencyP99), signed(governance.addedP99, 2)],
        ['TTFT p50 @50 streams/s (ms)', ms(systems.embedded.ttftP50), ms(systems.governed.ttftP50), signed(governance.addedTtftP50, 2)],
        ['AILB CPU ms per request @200 req/s', fixed(3)(governance.cpuLatency.embedded), fixed(3)(governance.cpuLatency.governed), signed(governance.cpuLatency.added, 3)],
        ['AILB CPU ms per request, max throughput', fixed(3)(governance.cpuMax.embedded), fixed(3)(governance.cpuMax.governed), signed(governance.cpuMax.added, 3)],
        ['max req/s, best', int(systems.embedded.maxRpsBest), int(systems.governed.maxRpsBest), times(governance.maxRpsRatio)],
      ],
    ),
    'governed: one API key (Bearer), rate-limit rules key:bench (requests and tokens per minute), tenant:bench and * (requests per',
    `second), all far above any run, and a tenant budget no run reaches; scanning at its default policy. Target: ≤ ${GOVERNANCE_P50_TARGET_MS} ms added p50.`,
    line,
  ].join('\n');
}

function rssTable(summary: Summary): string {
  return table(['RSS after the side-by-side runs (before the knowledge section)', 'MiB'], Object.entries(summary.rssMiB).map(([name, mib]) => [name, fixed(0)(mib)]));
}

function targetLines(title: string, targets: Target[]): string {
  return [title, ...targets.map((target) => `  ${target.pass ? 'PASS' : 'MISS'}  ${target.name.padEnd(52)} ${target.value}`)].join('\n');
}

/** The whole printed report. */
export function renderReport(summary: Summary): string {
  return [
    comparison(summary),
    '',
    'Added latency = system − direct at the same percentile. Latency is measured from each request\'s scheduled send time (open loop).',
    'Max req/s: the noise of a shared machine only ever slows a run down, so "best" (of the interleaved runs) is the capacity estimate.',
    'Portkey\'s streaming sleeps 25 ms before relaying the first chunk (by design, in its stream code): its TTFT and streams/s include that.',
    '',
    'CPU per request, max throughput, non-streaming (both runs pooled; /proc utime+stime)',
    cpuTable(summary, (system) => system.cpuMax),
    '',
    `CPU per request at a fixed 200 req/s, non-streaming (warm-up included for the servers)`,
    cpuTable(summary, (system) => system.cpuLatency),
    '',
    'CPU per request, max streams/s',
    cpuTable(summary, (system) => system.cpuStreams),
    '',
    redisTable(summary),
    '',
    governanceTable(summary),
    '',
    rssTable(summary),
    '',
    targetLines('Targets', summary.targets),
    '',
    targetLines('Sanity checks', summary.sanity),
    ...(summary.discarded.length > 0 ? ['', 'Runs discarded and repeated (other processes were busy):', ...summary.discarded.map((line) => `  ${line}`)] : []),
  ].join('\n');
}

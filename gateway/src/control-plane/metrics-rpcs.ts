import { setTimeout as sleep } from 'node:timers/promises';
import { dateFromTimestamp, timestampFromDate, type MetricDataPoint, type ModuleMetrics, type ModuleStats, type Timestamp__Output } from '@ailb/proto';
import type { QueueStats } from '@ailb/shared';
import type { FastifyInstance } from 'fastify';
import { ProcessUsage } from '../observability/process-usage.js';
import type { TrafficSnapshot } from '../observability/traffic-snapshot.js';
import { checkThisInstance } from './deployment-messages.js';
import { invalidArgument, type RpcGroupFactory } from './rpc.js';
import { histogramQuantile, TrafficWindow } from './traffic-window.js';

/** One reading of everything the metrics RPCs report. */
interface Reading {
  traffic: TrafficSnapshot;
  requestsPerMinute: number;
  cpuPercent: number;
  memoryMb: number;
  /** The chat queue, where this process can read it. */
  queue: QueueStats | null;
}

/**
 * The metric names GetMetrics and StreamMetrics accept in `metric_names`, and how each is read.
 * Cumulative ones count since the gateway started (GetStats has the resettable window).
 */
const METRICS: Record<string, (reading: Reading) => number> = {
  requests_total: ({ traffic }) => traffic.requests.successful + traffic.requests.failed,
  requests_successful: ({ traffic }) => traffic.requests.successful,
  requests_failed: ({ traffic }) => traffic.requests.failed,
  requests_in_flight: ({ traffic }) => traffic.inFlight,
  requests_per_minute: ({ requestsPerMinute }) => requestsPerMinute,
  connections_active: ({ traffic }) => traffic.connections.open,
  connections_total: ({ traffic }) => traffic.connections.accepted,
  latency_avg_ms: ({ traffic }) => averageMs(traffic),
  latency_p50_ms: ({ traffic }) => histogramQuantile(traffic.latency, 0.5) * 1000,
  latency_p95_ms: ({ traffic }) => histogramQuantile(traffic.latency, 0.95) * 1000,
  latency_p99_ms: ({ traffic }) => histogramQuantile(traffic.latency, 0.99) * 1000,
  bytes_received: ({ traffic }) => traffic.bytes.received,
  bytes_sent: ({ traffic }) => traffic.bytes.sent,
  cpu_usage_percent: ({ cpuPercent }) => cpuPercent,
  memory_usage_mb: ({ memoryMb }) => memoryMb,
  tokens_input: ({ traffic }) => traffic.tokens.input,
  tokens_output: ({ traffic }) => traffic.tokens.output,
};

/** The chat queue (its version lanes included): offered when the gateway was given a way to read it (`queueStats`), as both modes do. */
const QUEUE_METRICS: Record<string, (queue: QueueStats) => number> = {
  queue_waiting: (queue) => queue.waiting,
  queue_active: (queue) => queue.active,
  queue_lag_ms: (queue) => queue.lagMs,
};

const STREAM_INTERVAL = { defaultSeconds: 5, min: 1, max: 3600 };

function averageMs(traffic: TrafficSnapshot): number {
  return traffic.latency.count > 0 ? (traffic.latency.sum / traffic.latency.count) * 1000 : 0;
}

/**
 * GetMetrics, GetStats and StreamMetrics: this gateway's own numbers (instance-local), read from the
 * same prom-client registry as `GET /metrics`, plus CPU and memory of the process.
 */
export const metricsRpcs: RpcGroupFactory = (app) => {
  const window = new TrafficWindow();
  const usage = new ProcessUsage();

  const read = async (): Promise<Reading> => {
    const traffic = await app.metrics.snapshot();
    const queue = app.queueStats ? await app.queueStats('chat').catch(() => null) : null;
    return { traffic, requestsPerMinute: window.requestsPerMinute(traffic), cpuPercent: usage.cpuPercent(), memoryMb: usage.memoryMb(), queue };
  };

  const validNames = (): string[] => [...Object.keys(METRICS), ...(app.queueStats ? Object.keys(QUEUE_METRICS) : [])];
  const checkNames = (field: string, names: string[]): void => {
    const valid = validNames();
    const unknown = names.filter((name) => !valid.includes(name));
    if (unknown.length > 0) {
      const why = app.queueStats ? '' : ' (queue_* metrics are not offered: this gateway was started without a way to read the queue)';
      throw invalidArgument(field, `unknown metric name(s) ${unknown.map((name) => `"${name}"`).join(', ')}; valid: ${valid.join(', ')}${why}`);
    }
  };

  const moduleMetrics = (reading: Reading, names: string[], at: Date): ModuleMetrics => {
    const wanted = names.length > 0 ? new Set(names) : undefined;
    const timestamp = timestampFromDate(at);
    const points: MetricDataPoint[] = [];
    for (const [name, value] of Object.entries(METRICS)) {
      if (!wanted || wanted.has(name)) points.push({ name, value: value(reading), labels: {}, timestamp });
    }
    for (const [name, value] of Object.entries(QUEUE_METRICS)) {
      if (reading.queue && (!wanted || wanted.has(name))) points.push({ name, value: value(reading.queue), labels: { queue: 'chat' }, timestamp });
    }
    return { instance_id: app.instanceId, module_type: 'MODULE_TYPE_AILB', metrics: points, collected_at: timestamp };
  };

  return {
    async GetMetrics(request) {
      checkThisInstance(app, request.instance_id);
      checkNames('metric_names', request.metric_names);
      checkTimeRange(request.start_time, request.end_time);
      const at = new Date();
      return { metrics: moduleMetrics(await read(), request.metric_names, at), collected_at: timestampFromDate(at) };
    },

    async GetStats(request) {
      checkThisInstance(app, request.instance_id);
      const reading = await read();
      const stats = moduleStats(app, window.delta(reading.traffic), reading, window.windowStart);
      if (request.reset_counters) window.reset(reading.traffic);
      return { stats };
    },

    async *StreamMetrics(request, call) {
      checkThisInstance(app, request.instance_id);
      checkNames('metric_names', request.metric_names);
      const seconds = request.interval_seconds === 0 ? STREAM_INTERVAL.defaultSeconds : request.interval_seconds;
      if (!Number.isInteger(seconds) || seconds < STREAM_INTERVAL.min || seconds > STREAM_INTERVAL.max) {
        throw invalidArgument('interval_seconds', `must be from ${STREAM_INTERVAL.min} to ${STREAM_INTERVAL.max} (0: the default, ${STREAM_INTERVAL.defaultSeconds})`);
      }
      // The first batch at once, then one per interval until the client cancels or the server closes.
      while (!call.signal.aborted) {
        const at = new Date();
        yield { metrics: moduleMetrics(await read(), request.metric_names, at), timestamp: timestampFromDate(at) };
        try {
          await sleep(seconds * 1000, undefined, { signal: call.signal });
        } catch {
          return;
        }
      }
    },
  };
};

function moduleStats(app: FastifyInstance, traffic: TrafficSnapshot, reading: Reading, since: Date): ModuleStats {
  const custom: Record<string, string> = {
    requests_in_flight: String(traffic.inFlight),
    requests_per_minute: reading.requestsPerMinute.toFixed(2),
    tokens_input: String(traffic.tokens.input),
    tokens_output: String(traffic.tokens.output),
    latency_samples: String(traffic.latency.count),
    latency_measures: 'chat requests, arrival to the start of the answer (first token for streams)',
  };
  if (reading.queue) {
    custom.queue_waiting = String(reading.queue.waiting);
    custom.queue_active = String(reading.queue.active);
    custom.queue_lag_ms = String(reading.queue.lagMs);
  }
  return {
    instance_id: app.instanceId,
    total_requests: traffic.requests.successful + traffic.requests.failed,
    successful_requests: traffic.requests.successful,
    failed_requests: traffic.requests.failed,
    active_connections: traffic.connections.open,
    total_connections: traffic.connections.accepted,
    avg_latency_ms: averageMs(traffic),
    p50_latency_ms: histogramQuantile(traffic.latency, 0.5) * 1000,
    p95_latency_ms: histogramQuantile(traffic.latency, 0.95) * 1000,
    p99_latency_ms: histogramQuantile(traffic.latency, 0.99) * 1000,
    bytes_received: traffic.bytes.received,
    bytes_sent: traffic.bytes.sent,
    cpu_usage_percent: reading.cpuPercent,
    memory_usage_mb: reading.memoryMb,
    since: timestampFromDate(since),
    custom_stats: custom,
  };
}

/** Latest and earliest instants a JavaScript date holds (±100 000 000 days from 1970), in seconds. */
const MAX_TIMESTAMP_SECONDS = 8.64e12;

/**
 * The date of a `google.protobuf.Timestamp` field, or INVALID_ARGUMENT naming it when it is not a real
 * instant: `seconds` beyond what a date holds, or `nanos` outside 0–999 999 999 (the protobuf rule).
 */
function requestDate(field: string, timestamp: Timestamp__Output | null): Date | null {
  if (!timestamp) return null;
  const seconds = Number(timestamp.seconds);
  if (!Number.isSafeInteger(seconds) || Math.abs(seconds) > MAX_TIMESTAMP_SECONDS) throw invalidArgument(field, `seconds ${timestamp.seconds} is not a representable time`);
  if (!Number.isInteger(timestamp.nanos) || timestamp.nanos < 0 || timestamp.nanos > 999_999_999) throw invalidArgument(field, `nanos must be from 0 to 999999999, got ${timestamp.nanos}`);
  const date = dateFromTimestamp(timestamp);
  if (!date || !Number.isFinite(date.getTime())) throw invalidArgument(field, 'is not a representable time');
  return date;
}

/**
 * AILB keeps no metric history, only current values: a time range is accepted when it contains now
 * (either end may be absent), and refused when it asks for the past or is reversed.
 */
function checkTimeRange(start: Timestamp__Output | null, end: Timestamp__Output | null): void {
  const from = requestDate('start_time', start);
  const to = requestDate('end_time', end);
  const now = Date.now();
  // A minute of slack for clocks that disagree.
  const slackMs = 60_000;
  if (from && to && from > to) throw invalidArgument('start_time', 'must not be after end_time');
  if (to && to.getTime() < now - slackMs) throw invalidArgument('end_time', 'is in the past: AILB keeps no metric history, only current values (omit end_time)');
  if (from && from.getTime() > now + slackMs) throw invalidArgument('start_time', 'is in the future: only current values exist');
}

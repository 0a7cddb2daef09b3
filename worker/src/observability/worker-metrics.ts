import { circuitState, metricNames, targetKey, type AppConfig, type CircuitPolicy, type HealthView, type JobConsumer, type RouteTarget, type Usage } from '@ailb/shared';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { AttemptObserver } from '../execution/attempt-observer.js';

// OpenTelemetry GenAI's recommended bucket boundaries for each instrument.
const TOKEN_BUCKETS = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];
const DURATION_BUCKETS = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];
const TTFT_BUCKETS = [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
const WAIT_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
const CIRCUIT_VALUE = { closed: 0, half_open: 1, open: 2 } as const;

export interface WorkerMetricsOptions {
  /** Read at scrape time for the chat queue's depth and lag. */
  consumer: JobConsumer;
  /**
   * Where circuits are read at scrape time, and the targets known from configuration (`provider/model`
   * of deployments that list their models); targets this worker attempted are added as they appear.
   * Absent: no circuit gauge.
   */
  circuits?: { health: HealthView; policy: CircuitPolicy; targets: readonly RouteTarget[] };
}

/**
 * A worker's Prometheus metrics, in a registry of its own: the split worker serves it on
 * METRICS_PORT, the embedded default merges it into the gateway's /metrics. The worker is where
 * upstream calls are made and timed, so the OpenTelemetry GenAI instruments (token usage, request
 * duration, time to first token) live here, per attempt. Labels are configured names only: the
 * deployment id and the upstream model of the plan's target.
 */
export class WorkerMetrics implements AttemptObserver {
  readonly registry = new Registry();
  private readonly tokenUsage;
  private readonly requestDuration;
  private readonly timeToFirstToken;
  private readonly queueWait;
  private readonly inFlight;
  private readonly retries;
  private readonly failovers;
  private readonly hedges;
  private readonly continuations;
  private readonly malformedEvents;
  private readonly targets = new Map<string, RouteTarget>();

  constructor(options: WorkerMetricsOptions) {
    const registers = [this.registry];
    const { genAiTokenUsage, genAiRequestDuration, genAiTimeToFirstToken, chatQueueWait, targetInFlight, retries, failovers, hedges, streamContinuations, streamMalformedEvents } = metricNames;
    this.tokenUsage = new Histogram({ name: genAiTokenUsage.name, help: genAiTokenUsage.help, labelNames: genAiTokenUsage.labels, buckets: TOKEN_BUCKETS, registers });
    this.requestDuration = new Histogram({ name: genAiRequestDuration.name, help: genAiRequestDuration.help, labelNames: genAiRequestDuration.labels, buckets: DURATION_BUCKETS, registers });
    this.timeToFirstToken = new Histogram({ name: genAiTimeToFirstToken.name, help: genAiTimeToFirstToken.help, labelNames: genAiTimeToFirstToken.labels, buckets: TTFT_BUCKETS, registers });
    this.queueWait = new Histogram({ name: chatQueueWait.name, help: chatQueueWait.help, labelNames: chatQueueWait.labels, buckets: WAIT_BUCKETS, registers });
    this.inFlight = new Gauge({ name: targetInFlight.name, help: targetInFlight.help, labelNames: targetInFlight.labels, registers });
    this.retries = new Counter({ name: retries.name, help: retries.help, labelNames: retries.labels, registers });
    this.failovers = new Counter({ name: failovers.name, help: failovers.help, labelNames: failovers.labels, registers });
    this.hedges = new Counter({ name: hedges.name, help: hedges.help, labelNames: hedges.labels, registers });
    this.continuations = new Counter({ name: streamContinuations.name, help: streamContinuations.help, labelNames: streamContinuations.labels, registers });
    this.malformedEvents = new Counter({ name: streamMalformedEvents.name, help: streamMalformedEvents.help, labelNames: streamMalformedEvents.labels, registers });
    this.queueGauges(options.consumer, registers);
    if (options.circuits) this.circuitGauge(options.circuits, registers);
  }

  jobTaken(job: { enqueuedAt: number; priority?: string | undefined }, now = Date.now()): void {
    this.queueWait.observe({ priority: job.priority ?? 'normal' }, Math.max(0, now - job.enqueuedAt) / 1000);
  }

  attemptStarted(target: RouteTarget): void {
    const key = targetKey(target);
    if (!this.targets.has(key)) this.targets.set(key, { provider: target.provider, model: target.model });
    this.inFlight.inc({ provider: target.provider, model: target.model });
  }

  attemptFinished(target: RouteTarget): void {
    this.inFlight.dec({ provider: target.provider, model: target.model });
  }

  attemptEnded(target: RouteTarget, outcome: { durationMs: number; errorCode?: string; ttftMs?: number | undefined; usage?: Usage | null | undefined }): void {
    const labels = { gen_ai_operation_name: 'chat', gen_ai_provider_name: target.provider, gen_ai_request_model: target.model };
    // OpenTelemetry sets error.type on failed calls only.
    this.requestDuration.observe(outcome.errorCode ? { ...labels, error_type: outcome.errorCode } : labels, outcome.durationMs / 1000);
    if (outcome.ttftMs !== undefined) this.timeToFirstToken.observe(labels, outcome.ttftMs / 1000);
    if (outcome.usage) {
      this.tokenUsage.observe({ ...labels, gen_ai_token_type: 'input' }, outcome.usage.inputTokens);
      this.tokenUsage.observe({ ...labels, gen_ai_token_type: 'output' }, outcome.usage.outputTokens);
    }
  }

  retried(target: RouteTarget, reason: string): void {
    this.retries.inc({ provider: target.provider, reason });
  }

  hedged(from: RouteTarget): void {
    this.hedges.inc({ provider: from.provider });
  }

  streamContinued(from: RouteTarget, reason: string): void {
    this.continuations.inc({ provider: from.provider, reason });
  }

  malformedEvent(provider: string): void {
    this.malformedEvents.inc({ provider });
  }

  failedOver(from: RouteTarget, reason: string): void {
    this.failovers.inc({ provider: from.provider, reason });
  }

  private queueGauges(consumer: JobConsumer, registers: Registry[]): void {
    const { chatQueueDepth, chatQueueLag } = metricNames;
    // One read per scrape for both gauges: the depth gauge collects first and shares its promise.
    let pending: Promise<Awaited<ReturnType<JobConsumer['stats']>> | undefined> | undefined;
    const read = () => (pending ??= consumer.stats('chat').catch(() => undefined).finally(() => setTimeout(() => (pending = undefined), 0)));
    new Gauge({
      name: chatQueueDepth.name,
      help: chatQueueDepth.help,
      labelNames: chatQueueDepth.labels,
      registers,
      async collect() {
        const stats = await read();
        if (!stats) return;
        this.set({ state: 'waiting' }, stats.waiting);
        this.set({ state: 'active' }, stats.active);
      },
    });
    new Gauge({
      name: chatQueueLag.name,
      help: chatQueueLag.help,
      registers,
      async collect() {
        const stats = await read();
        if (stats) this.set(stats.lagMs / 1000);
      },
    });
  }

  private circuitGauge(circuits: NonNullable<WorkerMetricsOptions['circuits']>, registers: Registry[]): void {
    for (const target of circuits.targets) this.targets.set(targetKey(target), { provider: target.provider, model: target.model });
    const targets = this.targets;
    const { circuitState: gauge } = metricNames;
    new Gauge({
      name: gauge.name,
      help: gauge.help,
      labelNames: gauge.labels,
      registers,
      async collect() {
        const now = Date.now();
        const health = await circuits.health.targetHealth([...targets.keys()], now).catch(() => undefined);
        if (!health) return;
        for (const [key, target] of targets) {
          const record = health.get(key)?.circuit;
          this.set({ provider: target.provider, model: target.model }, record ? CIRCUIT_VALUE[circuitState(record, circuits.policy, now)] : 0);
        }
      },
    });
  }
}

/** Targets of deployments that list their models: their circuits are reported before any attempt on them. */
export function configuredTargets(config: Pick<AppConfig, 'providers'>): RouteTarget[] {
  return config.providers.flatMap((provider) => (provider.models ?? []).map((model) => ({ provider: provider.id, model })));
}

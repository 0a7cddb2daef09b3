import { metricNames, misnamedDefaultMetrics, type Usage } from '@ailb/shared';
import type { FastifyInstance } from 'fastify';
import type { ContextObserver } from '../chat/context-stage.js';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { ConnectionMetrics } from './connection-metrics.js';
import { readTrafficSnapshot, type TrafficSnapshot } from './traffic-snapshot.js';

const LATENCY_BUCKETS = [0.001, 0.002, 0.003, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/**
 * The gateway's Prometheus metrics, in a registry of its own (several apps can live in one process,
 * as in tests). Everything a worker knows that matters to operators reaches the gateway in replies,
 * so one scrape target per gateway covers upstream latency and tokens too.
 */
export class GatewayMetrics implements ContextObserver {
  readonly registry = new Registry();
  private readonly httpRequests;
  private readonly httpDuration;
  private readonly cost;
  private readonly chatRequests;
  private readonly overhead;
  private readonly upstreamLatency;
  private readonly tokens;
  private readonly contextRetrieval;
  private readonly contextInjected;
  private readonly contextDegraded;
  private readonly chatResponse;
  private readonly connections;
  /** HTTP requests not answered in full yet: counted by the request-context plugin, read when scraped. */
  private requestsInFlight: () => number = () => 0;

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'ailb_' });
    for (const name of misnamedDefaultMetrics) this.registry.removeSingleMetric(name);
    const registers = [this.registry];
    const { httpRequests, chatRequests, chatOverhead, upstreamLatency, tokens } = metricNames;
    this.httpRequests = new Counter({ name: httpRequests.name, help: httpRequests.help, labelNames: httpRequests.labels, registers });
    this.chatRequests = new Counter({ name: chatRequests.name, help: chatRequests.help, labelNames: chatRequests.labels, registers });
    this.overhead = new Histogram({ name: chatOverhead.name, help: chatOverhead.help, labelNames: chatOverhead.labels, buckets: LATENCY_BUCKETS, registers });
    this.upstreamLatency = new Histogram({ name: upstreamLatency.name, help: upstreamLatency.help, labelNames: upstreamLatency.labels, buckets: LATENCY_BUCKETS, registers });
    this.tokens = new Counter({ name: tokens.name, help: tokens.help, labelNames: tokens.labels, registers });
    const { httpRequestDuration, cost } = metricNames;
    this.httpDuration = new Histogram({ name: httpRequestDuration.name, help: httpRequestDuration.help, labelNames: httpRequestDuration.labels, buckets: LATENCY_BUCKETS, registers });
    this.cost = new Counter({ name: cost.name, help: cost.help, labelNames: cost.labels, registers });
    const { contextRetrieval, contextInjected, contextDegraded } = metricNames;
    this.contextRetrieval = new Histogram({ name: contextRetrieval.name, help: contextRetrieval.help, labelNames: contextRetrieval.labels, buckets: LATENCY_BUCKETS, registers });
    this.contextInjected = new Counter({ name: contextInjected.name, help: contextInjected.help, labelNames: contextInjected.labels, registers });
    this.contextDegraded = new Counter({ name: contextDegraded.name, help: contextDegraded.help, registers });
    const { httpRequestsInFlight, chatResponse } = metricNames;
    const metrics = this;
    new Gauge({
      name: httpRequestsInFlight.name,
      help: httpRequestsInFlight.help,
      registers,
      collect() {
        this.set(metrics.requestsInFlight());
      },
    });
    this.chatResponse = new Histogram({ name: chatResponse.name, help: chatResponse.help, labelNames: chatResponse.labels, buckets: LATENCY_BUCKETS, registers });
    this.connections = new ConnectionMetrics(registers);
  }

  /** One memory/RAG retrieval for a chat request: how long it took and what it put in (or that it failed). */
  recordContext(outcome: { retrievalMs: number; turns: number; chunks: number; degraded: boolean }): void {
    this.contextRetrieval.observe({ outcome: outcome.degraded ? 'degraded' : 'ok' }, outcome.retrievalMs / 1000);
    if (outcome.degraded) this.contextDegraded.inc();
    this.contextInjected.inc({ kind: 'turns' }, outcome.turns);
    this.contextInjected.inc({ kind: 'chunks' }, outcome.chunks);
  }

  /**
   * Counts every HTTP answer by route pattern (never the raw URL) and status, and serves `GET /metrics`:
   * this registry, plus `extra` ones of roles sharing the process (the embedded default's embedder).
   */
  register(app: FastifyInstance, extra: readonly Registry[] = []): void {
    this.connections.track(app.server);
    this.requestsInFlight = () => app.requestsInFlight;
    app.addHook('onResponse', async (request, reply) => {
      const labels = { route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) };
      this.httpRequests.inc(labels);
      this.httpDuration.observe(labels, reply.elapsedTime / 1000);
    });
    // Merged per scrape, not once: plugins registered after this one add metrics to these registries.
    const served = () => (extra.length === 0 ? this.registry : Registry.merge([this.registry, ...extra]));
    app.get('/metrics', async (_request, reply) => reply.type(this.registry.contentType).send(await served().metrics()));
  }

  /** The moment the answer started: gateway+queue overhead and upstream time (to first token for streams). */
  recordServed(provider: string, stream: boolean, overheadMs: number, upstreamMs: number): void {
    const streamLabel = stream ? 'true' : 'false';
    this.overhead.observe({ stream: streamLabel }, overheadMs / 1000);
    this.chatResponse.observe({ stream: streamLabel }, (overheadMs + upstreamMs) / 1000);
    this.upstreamLatency.observe({ provider, stream: streamLabel }, upstreamMs / 1000);
  }

  /** The end of a chat request: its outcome (`success` or an error code) and the provider's usage. */
  recordOutcome(labels: { model: string; provider: string; stream: boolean; outcome: string }, usage?: Usage | null): void {
    this.chatRequests.inc({ ...labels, stream: String(labels.stream) });
    if (usage) {
      this.tokens.inc({ provider: labels.provider, kind: 'prompt' }, usage.inputTokens);
      this.tokens.inc({ provider: labels.provider, kind: 'completion' }, usage.outputTokens);
    }
  }

  /**
   * The priced cost of one served request (the ledger's figure), by configured public model name (or
   * `unknown`) and deployment id. Nano-dollars in, dollars out: Prometheus' unit is the base one.
   */
  recordCost(model: string, provider: string, nanoUsd: number): void {
    if (nanoUsd > 0) this.cost.inc({ model, provider }, nanoUsd / 1e9);
  }

  /** The cumulative numbers behind the gRPC GetStats/GetMetrics RPCs, read from this registry's metrics. */
  snapshot(): Promise<TrafficSnapshot> {
    return readTrafficSnapshot({ httpRequests: this.httpRequests, chatResponse: this.chatResponse, tokens: this.tokens, registry: this.registry });
  }
}

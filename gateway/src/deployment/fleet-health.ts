import { circuitState, versionServes, versionWeight, type CircuitPolicy, type GatewayState, type InstanceHealth, type JobProducer } from '@ailb/shared';
import type { WorkerAvailability } from '../chat/worker-availability.js';
import type { ModelCatalog } from '../routing/model-catalog.js';
import type { DeploymentView } from './deployment-view.js';

/** A gateway is STARTING rather than UNHEALTHY while it is this young and has not seen a worker yet. */
export const STARTING_GRACE_MS = 30_000;

/** What {@link FleetHealth} reads. */
export interface FleetHealthDependencies {
  producer: JobProducer;
  workers: WorkerAvailability;
  state: GatewayState;
  catalog: ModelCatalog;
  circuit: CircuitPolicy;
  view: DeploymentView;
  /** This gateway's `VERSION`. */
  version: string;
  /** True when memory or RAG is enabled, so an embedder is needed. */
  needsEmbedder: boolean;
  draining: () => boolean;
  /** When this gateway started (epoch ms). */
  startedAt: number;
}

/** A health verdict: the status, one sentence why, and each check's finding. */
export interface HealthReport {
  status: InstanceHealth;
  message: string;
  /** Check name → finding (`ok`, `3 live`, `unavailable: …`). */
  checks: Record<string, string>;
}

const RANK: Record<InstanceHealth, number> = { healthy: 0, degraded: 1, starting: 2, unhealthy: 3, stopping: 4 };

/**
 * This gateway's health for `GetStatus`, `HealthCheck` and its heartbeat, from real state:
 * - STOPPING: draining (shutting down);
 * - UNHEALTHY: the queue is unreachable, no worker is alive (STARTING instead during the first
 *   {@link STARTING_GRACE_MS} of the gateway's life), or every known target's circuit is open;
 * - DEGRADED: some circuits are open, an embedder is needed (memory/RAG on) and none is alive, or
 *   this gateway's version has blue/green weight 0 (it is drained: not serving);
 * - HEALTHY otherwise.
 * A shallow check reads the queue, workers, draining and the weight; a deep one also reads every
 * target's circuit and the embedders.
 */
export class FleetHealth {
  constructor(private readonly dependencies: FleetHealthDependencies) {}

  async evaluate(deep: boolean): Promise<HealthReport> {
    const { producer, workers, view, version, draining, startedAt } = this.dependencies;
    const checks: Record<string, string> = {};
    const findings: Array<{ status: InstanceHealth; reason: string }> = [];
    const find = (status: InstanceHealth, reason: string) => findings.push({ status, reason });

    checks.draining = draining() ? 'yes' : 'no';
    if (draining()) find('stopping', 'the gateway is shutting down');

    try {
      await producer.checkReady();
      checks.queue = 'ok';
    } catch (error) {
      checks.queue = `unavailable: ${(error as Error).message}`;
      find('unhealthy', 'the job queue is unreachable');
    }

    try {
      const live = await workers.liveWorkers();
      checks.workers = live === 0 ? 'none live' : `${live} live`;
      if (live === 0) find(Date.now() - startedAt < STARTING_GRACE_MS ? 'starting' : 'unhealthy', 'no worker is alive');
    } catch (error) {
      checks.workers = `unknown: ${(error as Error).message}`;
      find('unhealthy', 'worker heartbeats cannot be read');
    }

    const weight = versionWeight(view.blueGreen, version);
    checks.traffic_weight = weight === undefined ? `not set for version ${version} (serves)` : `${weight} for version ${version}`;
    if (!versionServes(view.blueGreen, version)) find('degraded', `version ${version} has traffic weight 0 (drained by blue/green)`);

    if (deep) {
      await this.checkCircuits(checks, find);
      await this.checkEmbedder(checks, find);
    }

    const worst = findings.reduce<{ status: InstanceHealth; reason: string } | undefined>((current, finding) => (!current || RANK[finding.status] > RANK[current.status] ? finding : current), undefined);
    if (!worst) return { status: 'healthy', message: 'serving', checks };
    const reasons = findings.filter((finding) => finding.status === worst.status).map((finding) => finding.reason);
    return { status: worst.status, message: reasons.join('; '), checks };
  }

  private async checkCircuits(checks: Record<string, string>, find: (status: InstanceHealth, reason: string) => void): Promise<void> {
    const { state, catalog, circuit } = this.dependencies;
    try {
      const targets = await catalog.knownTargets();
      const now = Date.now();
      const health = await state.targetHealth(targets, now);
      const open = targets.filter((key) => {
        const record = health.get(key);
        return record !== undefined && circuitState(record.circuit, circuit, now) === 'open';
      });
      checks.circuits = open.length === 0 ? `none open of ${targets.length} targets` : `${open.length} of ${targets.length} open: ${open.slice(0, 5).join(', ')}${open.length > 5 ? ', …' : ''}`;
      if (targets.length > 0 && open.length === targets.length) find('unhealthy', 'every target’s circuit is open');
      else if (open.length > 0) find('degraded', `${open.length} target circuit(s) open`);
    } catch (error) {
      checks.circuits = `unknown: ${(error as Error).message}`;
      find('degraded', 'target health cannot be read');
    }
  }

  private async checkEmbedder(checks: Record<string, string>, find: (status: InstanceHealth, reason: string) => void): Promise<void> {
    if (!this.dependencies.needsEmbedder) {
      checks.embedder = 'not needed (memory and RAG off)';
      return;
    }
    try {
      const live = await this.dependencies.state.liveCount('embedder');
      checks.embedder = live === 0 ? 'none live' : `${live} live`;
      if (live === 0) find('degraded', 'memory/RAG are on and no embedder is alive (chat goes on without context)');
    } catch (error) {
      checks.embedder = `unknown: ${(error as Error).message}`;
      find('degraded', 'embedder heartbeats cannot be read');
    }
  }
}

import { circuitState, CLOSED_CIRCUIT, GatewayError, targetKey, type CircuitPolicy, type CircuitRecord, type ClusterStateReader, type PlannedTarget } from '@ailb/shared';

/** How long a read circuit is reused: short, since opening a circuit should take effect quickly. */
export const CIRCUIT_CACHE_MS = 250;

export interface HealthVerdict {
  targets: PlannedTarget[];
  excluded: Array<{ provider: string; model: string; reason: string }>;
}

/**
 * Filters a plan's targets by their shared circuit breakers before anything is sent: an open circuit
 * is skipped; a half-open one admits a single probe, claimed atomically across gateways and tried
 * first so it actually tests the target. When nothing is left the request fails fast with 503 and a
 * Retry-After of the soonest cooldown end, instead of hammering dead targets.
 */
export class HealthFilter {
  private readonly cache = new Map<string, { record: CircuitRecord; readAt: number }>();

  constructor(
    private readonly state: ClusterStateReader,
    private readonly policy: CircuitPolicy,
    private readonly now: () => number = Date.now,
  ) {}

  async apply(ordered: PlannedTarget[]): Promise<HealthVerdict> {
    const records = await this.read(ordered.map(targetKey));
    const now = this.now();
    const probes: PlannedTarget[] = [];
    const healthy: PlannedTarget[] = [];
    const excluded: HealthVerdict['excluded'] = [];
    let soonestRetryMs = Number.POSITIVE_INFINITY;
    for (const target of ordered) {
      const key = targetKey(target);
      const record = records.get(key) ?? CLOSED_CIRCUIT;
      const state = circuitState(record, this.policy, now);
      if (state === 'closed') {
        healthy.push(target);
      } else if (state === 'half_open' && (await this.claim(key))) {
        probes.push(target);
      } else {
        excluded.push({ provider: target.provider, model: target.model, reason: state === 'open' ? 'circuit_open' : 'circuit_probe_in_flight' });
        soonestRetryMs = Math.min(soonestRetryMs, Math.max(1000, (record.openedAt ?? now) + this.policy.cooldownMs - now));
      }
    }
    const targets = [...probes, ...healthy];
    if (targets.length === 0) {
      throw new GatewayError('no_target_available', `Every target of this model is failing (${excluded.map((entry) => `${entry.provider}/${entry.model}: ${entry.reason}`).join(', ')}); try again later.`, {
        retryAfterMs: Number.isFinite(soonestRetryMs) ? soonestRetryMs : this.policy.cooldownMs,
      });
    }
    return { targets, excluded };
  }

  /** Circuits of the keys, from a short cache; a failed read keeps what is known (fail open). */
  private async read(keys: string[]): Promise<Map<string, CircuitRecord>> {
    const now = this.now();
    const stale = keys.filter((key) => (this.cache.get(key)?.readAt ?? Number.NEGATIVE_INFINITY) + CIRCUIT_CACHE_MS <= now);
    if (stale.length > 0) {
      try {
        const fresh = await this.state.circuits(stale);
        for (const key of stale) this.cache.set(key, { record: fresh.get(key) ?? CLOSED_CIRCUIT, readAt: now });
      } catch {
        // Shared state unavailable: route on the last known view rather than refuse traffic.
      }
    }
    return new Map(keys.map((key) => [key, this.cache.get(key)?.record ?? CLOSED_CIRCUIT]));
  }

  private async claim(key: string): Promise<boolean> {
    try {
      return await this.state.claimProbe(key, this.policy.cooldownMs);
    } catch {
      return false;
    }
  }
}

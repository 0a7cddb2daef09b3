import type { InstanceDetails, InstanceHealth, LiveInstance, ServiceKind } from '../../contracts/cluster-state/cluster-state.js';

const HEALTH: readonly InstanceHealth[] = ['healthy', 'degraded', 'unhealthy', 'starting', 'stopping'];

/** An instance that announced nothing but its liveness (a heartbeat without details). */
const UNANNOUNCED: InstanceDetails = { version: '', address: '', health: 'healthy', startedAt: 0, connections: 0 };

/** A listed instance from its heartbeat and details; the same shape from both stores. */
export function toLiveInstance(kind: ServiceKind, id: string, lastSeen: number, details: InstanceDetails | undefined): LiveInstance {
  const known = details ?? UNANNOUNCED;
  return { kind, id, lastSeen, ...known, metadata: { ...(known.metadata ?? {}) } };
}

/**
 * Details as stored in Redis (JSON written by `heartbeat`). Another version of AILB may have written
 * them, so each field is checked; a field that does not fit takes the unannounced default.
 */
export function parseInstanceDetails(json: string | undefined): InstanceDetails | undefined {
  if (json === undefined) return undefined;
  let raw: Record<string, unknown>;
  try {
    const parsed = JSON.parse(json) as unknown;
    if (parsed === null || typeof parsed !== 'object') return undefined;
    raw = parsed as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  const count = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : 0);
  const metadata: Record<string, string> = {};
  if (raw.metadata !== null && typeof raw.metadata === 'object') {
    for (const [key, value] of Object.entries(raw.metadata)) if (typeof value === 'string') metadata[key] = value;
  }
  return {
    version: text(raw.version),
    address: text(raw.address),
    health: HEALTH.includes(raw.health as InstanceHealth) ? (raw.health as InstanceHealth) : 'healthy',
    startedAt: count(raw.startedAt),
    connections: count(raw.connections),
    metadata,
  };
}

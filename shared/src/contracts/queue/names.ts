/**
 * Redis names shared by gateway and worker. Every key and channel starts with the configured prefix
 * (default `ailb`), so deployments and tests can share one Redis without seeing each other.
 */
export const redisNames = (prefix: string) => ({
  /** Pub/sub channel of one gateway instance's replies. */
  replyChannel: (instanceId: string) => `${prefix}:reply:${instanceId}`,
  /** Pub/sub channel on which gateways announce cancelled jobs to all workers. */
  cancelChannel: `${prefix}:cancel`,
  /** Set per queue: the lanes consumers took (`v1`, `v2` for `chat@v1`, `chat@v2`), so statistics can sum them. */
  queueLanes: (queue: string) => `${prefix}:lanes:${queue}`,
  /** Hash: job id → JSON {queue, lane, data} of a job being moved from a lane back to its plain queue (see reclaimLane). */
  laneMoves: `${prefix}:lane-moves`,
  /** Short-lived lock of the instance moving one lane's jobs (`chat@v1`) back to the plain queue. */
  laneReclaimLock: (transportName: string) => `${prefix}:lane-reclaim:${transportName}`,
  /** Sorted set per service kind: instance id → last heartbeat epoch ms (`gateways`, `workers`, `embedders`). */
  services: (service: 'gateway' | 'worker' | 'embedder') => `${prefix}:${service}s`,
  /** Hash per service kind: instance id → JSON of what it announced (version, address, health …). */
  instanceDetails: (service: 'gateway' | 'worker' | 'embedder') => `${prefix}:${service}s:details`,
  /** String: the blue/green state (JSON with a revision), written by compare-and-set. */
  blueGreen: `${prefix}:deployment:blue-green`,
  /** Hash per control-plane document (`route-overrides`, `config`): revision, value (JSON), updated_at. */
  controlDocument: (name: string) => `${prefix}:control:doc:${name}`,
  /** String: the stored scaling configuration and desired instance count (JSON). */
  scaling: `${prefix}:deployment:scaling`,
  /** Hash: provider id → JSON {models, updatedAt} discovered by workers. */
  discoveredModels: `${prefix}:models`,
  /** Hash per target (`provider/model`): circuit breaker, outcome counts, latency and TTFT EWMAs. */
  targetHealth: (targetKey: string) => `${prefix}:target:${targetKey}`,
  /** Sorted set per target: attempts in flight, scored by when they expire. */
  inFlight: (targetKey: string) => `${prefix}:inflight:${targetKey}`,
  /** Short-lived key held by the single probe request of a half-open circuit. */
  probe: (targetKey: string) => `${prefix}:probe:${targetKey}`,
  /** Counter per route: its round-robin position across gateways. */
  roundRobin: (route: string) => `${prefix}:rr:${route}`,
  /** A request's routing trace (JSON, expiring). */
  trace: (requestId: string) => `${prefix}:trace:${requestId}`,
  /** Hash per provider with request statistics. */
  providerStats: (providerId: string) => `${prefix}:stats:${providerId}`,
});
export type RedisNames = ReturnType<typeof redisNames>;

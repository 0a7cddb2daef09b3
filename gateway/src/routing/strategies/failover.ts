import type { Strategy } from './route-candidate.js';

/** `failover`: by priority, lowest first; equal priorities keep config order. */
export const failover: Strategy = (candidates) => [...candidates].sort((left, right) => left.priority - right.priority);

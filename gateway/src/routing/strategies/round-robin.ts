import type { Strategy } from './route-candidate.js';

/** `round_robin`: rotates the configured order by the route's position, so each target leads in turn. */
export const roundRobin: Strategy = (candidates, context) => {
  if (candidates.length === 0) return [];
  const length = candidates.length;
  const start = ((Math.floor(context.roundRobinPosition) % length) + length) % length;
  return [...candidates.slice(start), ...candidates.slice(0, start)];
};

import type { RouteCandidate, Strategy } from './route-candidate.js';

/**
 * `random`: weighted sampling without replacement — each position is drawn among the remaining
 * candidates with probability weight / remaining total. Weight-0 candidates come last, in config order.
 * With every weight equal this is a uniform shuffle.
 */
export const random: Strategy = (candidates, context) => {
  const remaining = candidates.filter((candidate) => candidate.weight > 0);
  const ordered: RouteCandidate[] = [];
  while (remaining.length > 1) {
    const total = remaining.reduce((sum, candidate) => sum + candidate.weight, 0);
    let point = context.random() * total;
    let index = remaining.findIndex((candidate) => (point -= candidate.weight) < 0);
    // Floating-point rounding can leave `point` a hair above the last boundary.
    if (index < 0) index = remaining.length - 1;
    ordered.push(...remaining.splice(index, 1));
  }
  ordered.push(...remaining);
  return [...ordered, ...candidates.filter((candidate) => candidate.weight <= 0)];
};

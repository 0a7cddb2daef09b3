import { z } from 'zod';
import { routeConfigSchema } from '../config/config.schema.js';

/**
 * One route set while running (ModuleService `UpdateRoutes`, `DeleteRoute`), layered over the routes
 * of the configuration: with `route`, it serves `model` in place of a configured or default route of
 * that name; without, it is a tombstone hiding that configured or default route until the name is
 * set again (or every override is replaced).
 */
export const routeOverrideSchema = z.strictObject({
  /** The public model name. */
  model: z.string().min(1),
  /** The route, as the YAML's `routes[]` entry (defaults applied); absent for a tombstone. */
  route: routeConfigSchema.optional(),
  /**
   * The route priority MarchProxy gave it, reported back by `GetRoutes` and `CanHandle`. AILB itself
   * selects a route by model name and orders targets by their own `priority`. @defaultValue 0
   */
  priority: z.number().int().default(0),
});
export type RouteOverride = z.infer<typeof routeOverrideSchema>;

/** The stored `route-overrides` document: every override, in the order they were first set. */
export const routeOverridesDocumentSchema = z.strictObject({ overrides: z.array(routeOverrideSchema) });

/**
 * Reads a stored `route-overrides` document (JSON text, null when none). Returns undefined for a
 * document this version cannot read (written by another version of AILB), which the reader reports.
 */
export function parseRouteOverrides(value: string | null): RouteOverride[] | undefined {
  if (value === null) return [];
  try {
    const parsed = routeOverridesDocumentSchema.safeParse(JSON.parse(value));
    return parsed.success ? parsed.data.overrides : undefined;
  } catch {
    return undefined;
  }
}

/** The JSON text stored for a set of overrides. */
export function serializeRouteOverrides(overrides: readonly RouteOverride[]): string {
  return JSON.stringify({ overrides });
}

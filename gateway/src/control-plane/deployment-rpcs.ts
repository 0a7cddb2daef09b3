import { promoteVersion, rollbackVersion, setVersionWeight, SERVICE_KINDS, type BlueGreenState, type BlueGreenUpdate } from '@ailb/shared';
import { status } from '@grpc/grpc-js';
import type { FastifyInstance } from 'fastify';
import { blueGreenConfig, rpcFailureOf } from './deployment-messages.js';
import { checkClusterWideInstance } from './instance-scope.js';
import { RpcFailure, type RpcGroupFactory } from './rpc.js';

/*
 * SetTrafficWeight, GetActiveVersion, PromoteVersion, Rollback: the deployment's blue/green state,
 * cluster-wide (stored once, applied by every gateway within a second), so `instance_id` selects
 * nothing. The rules live in @ailb/shared's blue-green.ts; the two effects (weight 0 → not serving;
 * chat jobs split over worker versions by weight) in the deployment plugin.
 */

/** Applies a change to the shared state, tells every gateway, and refreshes this one before answering. */
async function change(app: FastifyInstance, apply: (current: BlueGreenState) => BlueGreenState | undefined): Promise<BlueGreenUpdate> {
  let update: BlueGreenUpdate;
  try {
    update = await app.deployment.store.updateBlueGreen(apply);
  } catch (error) {
    throw rpcFailureOf(error);
  }
  if (update.written) {
    await app.controlChanges.publish('deployment');
    await app.deployment.view.refresh();
  }
  return update;
}

const describeWeights = (state: BlueGreenState) =>
  Object.entries(state.weights)
    .map(([version, weight]) => `${version}=${weight}`)
    .join(', ');

/**
 * Versions some live gateway, worker or embedder runs (a promotion of a version nobody runs is a typo,
 * not a plan), and those of the live workers that are not stopping (what lane jobs can go to).
 */
async function runningVersions(app: FastifyInstance): Promise<{ all: Set<string>; workers: string[] }> {
  const all = new Set<string>();
  const workers = new Set<string>();
  for (const kind of SERVICE_KINDS) {
    for (const instance of await app.deployment.registry.liveInstances(kind)) {
      all.add(instance.version);
      if (kind === 'worker' && instance.health !== 'stopping' && instance.version !== '') workers.add(instance.version);
    }
  }
  return { all, workers: [...workers] };
}

/** The blue/green methods of the ModuleService. */
export const deploymentRpcs: RpcGroupFactory = (app) => ({
  async SetTrafficWeight(request) {
    await checkClusterWideInstance(app, request.instance_id);
    const update = await change(app, (current) => setVersionWeight(current, request.version, request.weight, Date.now()).next);
    const stopped = update.before.canary;
    return {
      success: true,
      message:
        `Version ${request.version} now has weight ${request.weight} (weights: ${describeWeights(update.after)}; shares are normalized over versions that can take traffic).` +
        (stopped ? ` The promotion of ${stopped.version} in progress stopped: a manual weight takes over.` : '') +
        (request.weight === 0 ? ` Gateways of version ${request.version} now report not-serving.` : ''),
      current_config: blueGreenConfig(update.after),
      error: null,
    };
  },

  async GetActiveVersion(request) {
    await checkClusterWideInstance(app, request.instance_id);
    // Read from the store, not the cache: the answer must include a write made through another gateway a moment ago.
    const state = await app.deployment.store.blueGreen();
    return { active_version: state.active, config: blueGreenConfig(state), version_weights: { ...state.weights } };
  },

  async PromoteVersion(request) {
    await checkClusterWideInstance(app, request.instance_id);
    const { version, immediate, promotion_rate: rate } = request;
    const running = await runningVersions(app);
    if (version !== '' && !running.all.has(version)) {
      throw new RpcFailure(status.FAILED_PRECONDITION, `version: no live gateway or worker runs version "${version}"; start instances with VERSION=${version} first`, 'version');
    }
    const stepMs = app.deployment.promotionStepMs;
    const update = await change(app, (current) => promoteVersion(current, version, { immediate, rate, stepMs, now: Date.now(), workerVersions: running.workers }));
    const after = update.after;
    let message: string;
    if (!update.written) message = `Version ${version} is already active with all traffic; nothing changed.`;
    else if (after.canary) {
      message =
        `Canary started: ${version} now has weight ${after.weights[version]} and gains ${after.canary.rate} points every ${after.canary.stepMs / 1000} s until 100 ` +
        `(weights: ${describeWeights(after)}); ${after.active || 'no version'} stays active until then. Rollback returns everything to it.` +
        (Object.keys(update.before.weights).length === 0 ? ` The blue/green table was empty: ${after.active}, the version the other live workers run, became active with all traffic first.` : '');
    } else message = `Version ${version} is active with all traffic (weights: ${describeWeights(after)}).`;
    return { success: true, message, promoted_version: version, error: null };
  },

  async Rollback(request) {
    await checkClusterWideInstance(app, request.instance_id);
    let moved = { from: '', to: '' };
    const update = await change(app, (current) => {
      const result = rollbackVersion(current, request.target_version, Date.now());
      moved = { from: result.from, to: result.to };
      return result.next;
    });
    const message = update.written
      ? `Rolled back: all traffic to ${moved.to}${update.before.canary ? ` (the promotion of ${update.before.canary.version} stopped)` : ''}; weights: ${describeWeights(update.after)}.`
      : `Version ${moved.to} already has all traffic; nothing changed.`;
    return { success: true, message, previous_version: moved.from, current_version: moved.to, error: null };
  },
});

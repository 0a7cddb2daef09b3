import { EMPTY_BLUE_GREEN, promoteVersion, setVersionWeight, type BlueGreenState } from '@ailb/shared';
import { InMemoryControlChanges, InMemoryDeploymentStore } from '@ailb/shared/runtime';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { DeploymentView } from './deployment-view.js';

/** A real in-memory store whose next calls of some methods fail, as a Redis outage would make them. */
class FlakyStore extends InMemoryDeploymentStore {
  failures = { update: 0, read: 0 };

  override async updateBlueGreen(change: (current: BlueGreenState) => BlueGreenState | undefined) {
    if (this.failures.update > 0) {
      this.failures.update--;
      throw new Error('store unreachable (update)');
    }
    return super.updateBlueGreen(change);
  }

  override async blueGreen() {
    if (this.failures.read > 0) {
      this.failures.read--;
      throw new Error('store unreachable (read)');
    }
    return super.blueGreen();
  }
}

let view: DeploymentView | undefined;
afterEach(() => view?.close());

async function eventually(check: () => void, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

describe('DeploymentView', () => {
  it('carries a promotion on after its step and the following read both failed', async () => {
    const store = new FlakyStore();
    const stepMs = 100;
    await store.updateBlueGreen(() => promoteVersion(setVersionWeight(EMPTY_BLUE_GREEN, 'v1', 100, 0).next, 'v2', { immediate: false, rate: 50, stepMs, now: Date.now() }));
    view = new DeploymentView({ store, changes: new InMemoryControlChanges(), logger: pino({ level: 'silent' }), stepJitterMs: 0, retryMs: 50 });
    await view.start();
    expect(view.blueGreen.weights).toEqual({ v1: 50, v2: 50 });
    // The due step fails, and so does the read after it: nothing is left scheduled but the retry.
    store.failures = { update: 1, read: 1 };
    await eventually(() => expect(view!.blueGreen).toMatchObject({ active: 'v2', canary: null, weights: { v1: 0, v2: 100 } }), 5000);
    expect(store.failures).toEqual({ update: 0, read: 0 });
  });

  it('reads again after a failed read, so a change whose notification came during an outage is not missed', async () => {
    const store = new FlakyStore();
    store.failures.read = 2;
    view = new DeploymentView({ store, changes: new InMemoryControlChanges(), logger: pino({ level: 'silent' }), retryMs: 20 });
    await view.start();
    expect(view.blueGreen).toEqual(EMPTY_BLUE_GREEN);
    await store.updateBlueGreen((current) => setVersionWeight(current, 'v1', 70, 1).next);
    await eventually(() => expect(view!.blueGreen.weights).toEqual({ v1: 70 }), 3000);
  });
});

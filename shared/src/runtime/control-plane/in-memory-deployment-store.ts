import { EMPTY_BLUE_GREEN, type BlueGreenState } from '../../contracts/control-plane/blue-green.js';
import type { BlueGreenUpdate, DeploymentStore } from '../../contracts/control-plane/deployment-store.js';
import type { ScalingState } from '../../contracts/control-plane/scaling.js';

/**
 * The embedded default's deployment state: one process, so a change is atomic by construction. States
 * are copied in and out, as they would be through Redis, so no caller can edit the stored one.
 */
export class InMemoryDeploymentStore implements DeploymentStore {
  private state: BlueGreenState = EMPTY_BLUE_GREEN;
  private scalingState: ScalingState | null = null;

  async blueGreen(): Promise<BlueGreenState> {
    return structuredClone(this.state);
  }

  async updateBlueGreen(change: (current: BlueGreenState) => BlueGreenState | undefined): Promise<BlueGreenUpdate> {
    const before = structuredClone(this.state);
    const next = change(structuredClone(before));
    if (next === undefined) return { before, after: before, written: false };
    this.state = structuredClone({ ...next, revision: before.revision + 1 });
    return { before, after: structuredClone(this.state), written: true };
  }

  async scaling(): Promise<ScalingState | null> {
    return structuredClone(this.scalingState);
  }

  async setScaling(state: ScalingState): Promise<void> {
    this.scalingState = structuredClone(state);
  }
}

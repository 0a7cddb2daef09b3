import type { BlueGreenState } from './blue-green.js';
import type { ScalingState } from './scaling.js';

/** The outcome of {@link DeploymentStore.updateBlueGreen}. */
export interface BlueGreenUpdate {
  /** The state the change was computed from. */
  before: BlueGreenState;
  /** The state now stored (`before` when nothing was written). */
  after: BlueGreenState;
  written: boolean;
}

/**
 * Blue/green and scaling state of one deployment, shared by every gateway: Redis in split mode,
 * memory in the embedded default. Writers publish the `deployment` topic of `ControlChanges` after a
 * write; every gateway re-reads then. The rules of a change are pure functions (blue-green.ts), so
 * stores only read and compare-and-set.
 */
export interface DeploymentStore {
  /** The blue/green state ({@link EMPTY_BLUE_GREEN} when never set). */
  blueGreen(): Promise<BlueGreenState>;
  /**
   * Applies `change` atomically: it runs on the current state and its result is stored only if no
   * other writer stored a state in between, else it runs again on the newer state. `change` returns
   * undefined when there is nothing to write, and may throw to refuse (nothing is written). The
   * stored revision is the current one plus one, whatever `change` returned.
   */
  updateBlueGreen(change: (current: BlueGreenState) => BlueGreenState | undefined): Promise<BlueGreenUpdate>;
  /** What `Scale` stored last; null when never called. */
  scaling(): Promise<ScalingState | null>;
  setScaling(state: ScalingState): Promise<void>;
}

/**
 * What the control plane can change while AILB runs. Each topic names state kept in the cluster store
 * (Redis in split mode, memory in the embedded default) that every gateway and worker caches;
 * `circuits` is published by the shared state itself when a worker's failure opens a target's circuit.
 */
export type ControlTopic = 'routes' | 'rate-limits' | 'deployment' | 'config' | 'keys' | 'tenants' | 'circuits';

/** Every topic, for validation and tests. */
export const CONTROL_TOPICS: readonly ControlTopic[] = ['routes', 'rate-limits', 'deployment', 'config', 'keys', 'tenants', 'circuits'];

/**
 * Change notifications across every instance of one deployment (pub/sub invalidation). A writer
 * stores the new state first and then publishes its topic; every instance (the writer included) that
 * subscribed re-reads that topic from the store. Messages carry no state, so a lost or duplicated
 * notification costs a re-read, never a wrong value; instances also re-read after a reconnect.
 */
export interface ControlChanges {
  /** Tells every instance, this one included, that `topic` changed. Resolves once sent. */
  publish(topic: ControlTopic): Promise<void>;
  /**
   * Calls `listener` for every change published by any instance, and with every topic after the
   * subscription was (re)established (a reconnect may have missed messages). Returns the function
   * that unsubscribes.
   */
  subscribe(listener: (topic: ControlTopic) => void): () => void;
  /** Stops listening and releases the connection. Idempotent. */
  close(): Promise<void>;
}

/** Options of {@link eventually}. */
export interface EventuallyOptions {
  /** How long to keep trying before failing with the check's last error. @defaultValue 1000 */
  timeoutMs?: number;
  /** Pause between two tries. @defaultValue 20 */
  intervalMs?: number;
}

/**
 * Runs `check` until it resolves, and fails with its last error once `timeoutMs` has passed: for
 * state that other processes or gateways apply asynchronously (a change applied "within a second").
 * The deadline is the requirement being tested, not a guess at how fast the machine is.
 */
export async function eventually<T>(check: () => Promise<T> | T, options: EventuallyOptions = {}): Promise<T> {
  const { timeoutMs = 1000, intervalMs = 20 } = options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}

import { Agent, fetch as undiciFetch } from 'undici';

/** Options every pool of a deployment shares. */
export type PoolOptions = Omit<Agent.Options, 'connect'>;

/**
 * A deployment's keep-alive connection pools, one per connect timeout in use (undici sets the connect
 * timeout per pool), so each deployment holds and releases exactly its own sockets. Pools are made on
 * first use; a handful of distinct timeouts at most, as configured per target.
 */
export class ConnectionPools {
  private readonly pools = new Map<number | undefined, Agent>();
  private closed = false;

  constructor(private readonly options: PoolOptions = {}) {}

  /** The pool for a connect timeout (undefined: undici's default). */
  get(connectTimeoutMs?: number): Agent {
    if (this.closed) {
      // The same code undici gives a destroyed pool, so callers classify it the same way.
      throw Object.assign(new Error('the connection pools of this deployment are closed'), { code: 'UND_ERR_DESTROYED' });
    }
    let pool = this.pools.get(connectTimeoutMs);
    if (!pool) {
      pool = new Agent({ ...this.options, ...(connectTimeoutMs === undefined ? {} : { connect: { timeout: connectTimeoutMs } }) });
      this.pools.set(connectTimeoutMs, pool);
    }
    return pool;
  }

  /**
   * Per-request fetch options naming the pool for a connect timeout, for an SDK's `fetchOptions`
   * (typed as that SDK's request-init type; undici's own types differ from them only nominally).
   */
  requestInit<SdkRequestInit>(connectTimeoutMs?: number): SdkRequestInit {
    return { dispatcher: this.get(connectTimeoutMs) } as unknown as SdkRequestInit;
  }

  /**
   * A fetch for SDK clients: undici's own fetch (measured faster than Node's bundled one) on the pool
   * the request names in `dispatcher` (per call, through the SDK's `fetchOptions`), else the default.
   */
  readonly fetch = ((url: string, init: Record<string, unknown> = {}) => undiciFetch(url, { ...init, dispatcher: (init.dispatcher as Agent | undefined) ?? this.get() })) as unknown as typeof fetch;

  /** Destroys every pool; later requests fail as unreachable. Idempotent. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.pools.values()].map((pool) => (pool.destroyed ? undefined : pool.destroy())));
    this.pools.clear();
  }
}

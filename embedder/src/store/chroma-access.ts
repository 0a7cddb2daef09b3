import { ChromaClient, ChromaConnectionError, type Collection, type Metadata } from 'chromadb';
import { GatewayError } from '@ailb/shared';

/** Is this failure Chroma being unreachable (rather than refusing a request)? */
export function isChromaUnavailable(error: unknown): boolean {
  if (error instanceof ChromaConnectionError) return true;
  if (error instanceof GatewayError) return error.code === 'knowledge_store_unavailable';
  // fetch's own network failure, when it escapes the client's wrapping.
  return error instanceof TypeError && /fetch failed/i.test(error.message);
}

/** Chroma unreachable, as the catalog error clients and processors understand. */
export function storeUnavailable(cause: unknown): GatewayError {
  return new GatewayError('knowledge_store_unavailable', 'The vector store (Chroma) is unavailable; try again shortly.', { cause, retryAfterMs: 2000 });
}

/**
 * The embedder's handle on Chroma: collections by name, created on first use in cosine space, and every
 * call's connection failure turned into `knowledge_store_unavailable`. Chroma is the one store AILB's
 * knowledge lives in (catalog, file bytes, chunks, memory): every embedder replica shares it and it
 * persists, which the Redis of a split deployment is not required to do.
 */
export class ChromaAccess {
  readonly client: ChromaClient;
  private readonly collections = new Map<string, Promise<Collection>>();

  constructor(url: string) {
    const parsed = new URL(url);
    this.client = new ChromaClient({
      host: parsed.hostname,
      port: parsed.port === '' ? (parsed.protocol === 'https:' ? 443 : 8000) : Number(parsed.port),
      ssl: parsed.protocol === 'https:',
    });
  }

  /** Runs a Chroma call; unreachable Chroma becomes `knowledge_store_unavailable`. */
  async call<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      if (isChromaUnavailable(error)) throw storeUnavailable(error);
      throw error;
    }
  }

  /** A collection (created if missing, with `metadata` then), cached by name. */
  collection(name: string, metadata: Metadata = {}): Promise<Collection> {
    let collection = this.collections.get(name);
    if (!collection) {
      collection = this.call(() =>
        this.client.getOrCreateCollection({
          name,
          // Vectors come from AILB's own models: Chroma must not try to load an embedding function.
          embeddingFunction: null,
          configuration: { hnsw: { space: 'cosine' } },
          ...(Object.keys(metadata).length > 0 ? { metadata } : {}),
        }),
      );
      this.collections.set(name, collection);
      // A failed lookup is not remembered: the next call tries again.
      collection.catch(() => this.collections.delete(name));
    }
    return collection;
  }

  /** Deletes a collection if it exists. */
  async dropCollection(name: string): Promise<void> {
    this.collections.delete(name);
    await this.call(async () => {
      try {
        await this.client.deleteCollection({ name });
      } catch (error) {
        if (isChromaUnavailable(error)) throw error;
        // Already gone (another replica deleted it): nothing to do.
      }
    });
  }

  /** Forgets a cached collection handle (its collection was deleted elsewhere). */
  forget(name: string): void {
    this.collections.delete(name);
  }

  /** Resolves when Chroma answers its heartbeat. */
  async heartbeat(): Promise<void> {
    await this.call(() => this.client.heartbeat());
  }
}

/** A dimensionless placeholder vector for collections used as document stores (catalog, file bytes). */
export const PLACEHOLDER_VECTOR = [1];

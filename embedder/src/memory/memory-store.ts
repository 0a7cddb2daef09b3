import type { Metadata, Where } from 'chromadb';
import { GatewayError, type MemoryTurn } from '@ailb/shared';
import type { ChromaAccess } from '../store/chroma-access.js';

export const MEMORY_COLLECTION = 'ailb_memory';

/** A remembered turn with its record id. */
export interface StoredTurn extends MemoryTurn {
  id: string;
}

/** The text a turn is embedded and shown as. */
export function turnText(turn: Pick<MemoryTurn, 'user' | 'assistant'>): string {
  return `User: ${turn.user}\nAssistant: ${turn.assistant}`;
}

function toTurn(id: string, metadata: Metadata | null | undefined): StoredTurn {
  const inputTokens = metadata?.input_tokens;
  const outputTokens = metadata?.output_tokens;
  return {
    id,
    user: String(metadata?.user ?? ''),
    assistant: String(metadata?.assistant ?? ''),
    model: String(metadata?.model ?? ''),
    provider: String(metadata?.provider ?? ''),
    usage: typeof inputTokens === 'number' && typeof outputTokens === 'number' ? { inputTokens, outputTokens } : null,
    createdAt: Number(metadata?.created_at ?? 0),
  };
}

/**
 * Conversation turns of every session in one Chroma collection (cosine space), each with its tenant and
 * session on the record, so every read is filtered by both. The collection remembers the embedding
 * model that wrote it and refuses turns embedded by another (vectors of two models do not compare).
 */
export class MemoryStore {
  constructor(
    private readonly chroma: ChromaAccess,
    private readonly model: { name: string },
  ) {}

  private async collection() {
    const collection = await this.chroma.collection(MEMORY_COLLECTION, { ailb: 'memory', embedding_model: this.model.name });
    const recorded = collection.metadata?.embedding_model;
    if (typeof recorded === 'string' && recorded !== this.model.name) {
      throw new GatewayError(
        'embedding_model_mismatch',
        `Memory was written with the embedding model ${recorded}; this embedder runs ${this.model.name}. Run the same model, or delete the memory collection to start over.`,
      );
    }
    return collection;
  }

  /**
   * Stores a turn under `turnId` (the same id again replaces it: a memory job re-run after a failure
   * half-way must not remember the turn twice); then keeps only the newest `maxTurns` of its session.
   */
  async add(tenant: string, sessionId: string, turnId: string, turn: MemoryTurn, vector: number[], maxTurns: number): Promise<void> {
    const collection = await this.collection();
    const id = `${tenant}:${sessionId}:${turnId}`;
    const metadata: Metadata = {
      tenant,
      session_id: sessionId,
      created_at: turn.createdAt,
      user: turn.user,
      assistant: turn.assistant,
      model: turn.model,
      provider: turn.provider,
      ...(turn.usage ? { input_tokens: turn.usage.inputTokens, output_tokens: turn.usage.outputTokens } : {}),
    };
    await this.chroma.call(() => collection.upsert({ ids: [id], embeddings: [vector], documents: [turnText(turn)], metadatas: [metadata] }));
    const turns = await this.turns(tenant, sessionId);
    if (turns.length > maxTurns) {
      const oldest = turns.slice(0, turns.length - maxTurns).map((stored) => stored.id);
      await this.chroma.call(() => collection.delete({ ids: oldest }));
    }
  }

  /** True when no session has any turn. */
  async isEmpty(): Promise<boolean> {
    const collection = await this.collection().catch(() => undefined);
    return collection === undefined || (await this.chroma.call(() => collection.count())) === 0;
  }

  /** The session's turns, oldest first. */
  async turns(tenant: string, sessionId: string): Promise<StoredTurn[]> {
    const collection = await this.collection();
    const found = await this.chroma.call(() => collection.get({ where: { $and: [{ tenant }, { session_id: sessionId }] }, include: ['metadatas'] }));
    return found.ids.map((id, index) => toTurn(id, found.metadatas[index])).sort((left, right) => left.createdAt - right.createdAt || left.id.localeCompare(right.id));
  }

  /** The session's `limit` turns nearest to `vector`, with their cosine similarity. */
  async nearest(tenant: string, sessionId: string, vector: number[], limit: number): Promise<Array<StoredTurn & { similarity: number }>> {
    const collection = await this.collection();
    const found = await this.chroma.call(() =>
      collection.query({ queryEmbeddings: [vector], nResults: limit, where: { $and: [{ tenant }, { session_id: sessionId }] }, include: ['metadatas', 'distances'] }),
    );
    const ids = found.ids[0] ?? [];
    return ids.map((id, index) => ({ ...toTurn(id, found.metadatas[0]?.[index]), similarity: 1 - (found.distances[0]?.[index] ?? 1) }));
  }

  /** Deletes a session's turns; answers how many there were. */
  async deleteSession(tenant: string, sessionId: string): Promise<number> {
    const collection = await this.collection();
    const where: Where = { $and: [{ tenant }, { session_id: sessionId }] };
    const found = await this.chroma.call(() => collection.get({ where, include: [] }));
    if (found.ids.length > 0) await this.chroma.call(() => collection.delete({ ids: found.ids }));
    return found.ids.length;
  }

  /** Deletes every turn older than `ttlSeconds` (all tenants): memory's retention. */
  async expire(ttlSeconds: number, now = Date.now()): Promise<void> {
    const collection = await this.collection();
    await this.chroma.call(() => collection.delete({ where: { created_at: { $lt: now - ttlSeconds * 1000 } } }));
  }
}

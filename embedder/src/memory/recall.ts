import type { MemoryTurn } from '@ailb/shared';
// Recalled turns go into a chat prompt: counted in o200k_base, the encoding of current OpenAI chat models.
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import { turnText, type MemoryStore } from './memory-store.js';

/** Earlier turns considered for relevance, nearest first. */
const RELEVANT_CANDIDATES = 8;
/**
 * Below this cosine similarity an earlier turn is not worth its tokens. Low on purpose: a threshold
 * that only near-duplicates pass (the seed's 0.7 on squared L2, i.e. cosine ≥ 0.85) recalls nothing.
 */
const MIN_SIMILARITY = 0.2;

export interface RecallRequest {
  sessionId: string;
  /** Latest turns always included (budget permitting). */
  recentTurns: number;
  /** Tokens all recalled turns may take together. */
  maxTokens: number;
}

/**
 * The turns of one session worth putting before its next message, oldest first: the latest
 * `recentTurns` (newest first while they fit the budget), then earlier turns by similarity to the new
 * message (above a low floor) while they fit. Only this tenant's session is read.
 */
export async function recallTurns(store: MemoryStore, tenant: string, request: RecallRequest, queryVector: number[]): Promise<MemoryTurn[]> {
  const turns = await store.turns(tenant, request.sessionId);
  if (turns.length === 0) return [];
  const recent = request.recentTurns > 0 ? turns.slice(-request.recentTurns) : [];
  const recentIds = new Set(recent.map((turn) => turn.id));
  const earlier = turns.length > recent.length ? await store.nearest(tenant, request.sessionId, queryVector, Math.min(RELEVANT_CANDIDATES + recent.length, turns.length)) : [];
  const relevant = earlier.filter((turn) => !recentIds.has(turn.id) && turn.similarity >= MIN_SIMILARITY).sort((left, right) => right.similarity - left.similarity);

  let budget = request.maxTokens;
  const chosen: typeof turns = [];
  for (const turn of [...recent.reverse(), ...relevant]) {
    const cost = countTokens(turnText(turn), { disallowedSpecial: new Set() });
    if (cost > budget) continue;
    budget -= cost;
    chosen.push(turn);
  }
  return chosen
    .sort((left, right) => left.createdAt - right.createdAt || left.id.localeCompare(right.id))
    .map(({ user, assistant, model, provider, usage, createdAt }) => ({ user, assistant, model, provider, usage, createdAt }));
}

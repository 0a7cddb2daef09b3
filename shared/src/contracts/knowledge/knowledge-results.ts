import type { Attributes, FileBatch, Page, StoredFile, VectorStore, VectorStoreFile } from './knowledge-records.js';
import type { MemoryTurn } from './memory.js';

/** One search hit: a chunk of a file, its score and the file's attributes. */
export interface SearchHit {
  fileId: string;
  filename: string;
  /**
   * Relevance in [0, 1], higher is better, results ordered by it: the hybrid score of the chunk
   * (cosine similarity of the embeddings blended with a lexical match score; README, Knowledge bases).
   */
  score: number;
  attributes: Attributes | null;
  text: string;
}

/** What each operation answers. */
export interface KnowledgeResults {
  'file.create': StoredFile;
  'file.list': Page<StoredFile>;
  'file.get': StoredFile;
  'file.content': { file: StoredFile; contentBase64: string };
  'file.delete': { id: string };
  'store.create': VectorStore;
  'store.list': Page<VectorStore>;
  'store.get': VectorStore;
  'store.update': VectorStore;
  'store.delete': { id: string };
  'store.search': { queries: string[]; hits: SearchHit[] };
  'store-file.create': VectorStoreFile;
  'store-file.list': Page<VectorStoreFile>;
  'store-file.get': VectorStoreFile;
  'store-file.update': VectorStoreFile;
  'store-file.delete': { id: string };
  'batch.create': FileBatch;
  'batch.get': FileBatch;
  'batch.cancel': FileBatch;
  'session.get': { sessionId: string; turns: MemoryTurn[] };
  'session.delete': { sessionId: string; deletedTurns: number };
}

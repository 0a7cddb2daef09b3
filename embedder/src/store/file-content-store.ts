import { PLACEHOLDER_VECTOR, type ChromaAccess } from './chroma-access.js';

export const FILE_CONTENT_COLLECTION = 'ailb_file_content';

/** Bytes per stored piece: a few hundred KB keeps each Chroma record (and request) reasonable. */
const PIECE_BYTES = 192 * 1024;

/**
 * The bytes of uploaded files, reachable by every embedder replica (ingestion reads them, possibly on
 * another replica than the one that stored them, and later again for another store). Kept in Chroma
 * as base64 pieces in record metadata, which — unlike documents — Chroma does not full-text index.
 */
export class FileContentStore {
  constructor(private readonly chroma: ChromaAccess) {}

  private collection() {
    return this.chroma.collection(FILE_CONTENT_COLLECTION, { ailb: 'file-content' });
  }

  async put(tenant: string, fileId: string, bytes: Buffer): Promise<void> {
    const collection = await this.collection();
    const count = Math.max(1, Math.ceil(bytes.length / PIECE_BYTES));
    const ids: string[] = [];
    const metadatas: Array<{ tenant: string; file_id: string; piece: number; pieces: number; data: string }> = [];
    for (let piece = 0; piece < count; piece++) {
      ids.push(`${fileId}:${piece}`);
      metadatas.push({ tenant, file_id: fileId, piece, pieces: count, data: bytes.subarray(piece * PIECE_BYTES, (piece + 1) * PIECE_BYTES).toString('base64') });
    }
    await this.chroma.call(() => collection.upsert({ ids, embeddings: ids.map(() => PLACEHOLDER_VECTOR), metadatas }));
  }

  /** The file's bytes, or undefined when the tenant has no such file (or a piece is missing). */
  async get(tenant: string, fileId: string): Promise<Buffer | undefined> {
    const collection = await this.collection();
    const found = await this.chroma.call(() => collection.get({ where: { $and: [{ tenant }, { file_id: fileId }] }, include: ['metadatas'] }));
    const pieces = found.metadatas
      .filter((metadata): metadata is NonNullable<typeof metadata> => metadata != null)
      .sort((left, right) => Number(left.piece) - Number(right.piece));
    if (pieces.length === 0 || pieces.length !== Number(pieces[0]!.pieces)) return undefined;
    return Buffer.concat(pieces.map((metadata) => Buffer.from(String(metadata.data), 'base64')));
  }

  async delete(fileId: string): Promise<void> {
    const collection = await this.collection();
    await this.chroma.call(() => collection.delete({ where: { file_id: fileId } }));
  }
}

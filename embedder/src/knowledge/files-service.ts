import { GatewayError, type KnowledgeOperation, type KnowledgeResults, type StoredFile } from '@ailb/shared';
import { requireFile } from './lookups.js';
import { documentText } from '../rag/document-text.js';
import { paginate } from '../store/paginate.js';
import { newFileId } from './ids.js';
import { nowSeconds, type KnowledgeContext } from './knowledge-context.js';
import { removeFileFromStore } from './store-files-service.js';

type Op<Name extends KnowledgeOperation['op']> = Extract<KnowledgeOperation, { op: Name }>;

/** Uploaded files: kept in Chroma (bytes and record), readable by every embedder replica. */
export const filesService = {
  async create(context: KnowledgeContext, tenant: string, operation: Op<'file.create'>): Promise<KnowledgeResults['file.create']> {
    const bytes = Buffer.from(operation.contentBase64, 'base64');
    // Read now, so a file AILB cannot use is refused at upload instead of failing every ingestion later.
    documentText(bytes, operation.mediaType);
    const file: StoredFile = { id: newFileId(), tenant, filename: operation.filename, bytes: bytes.length, purpose: operation.purpose, mediaType: operation.mediaType, createdAt: nowSeconds() };
    // Bytes first: a record is never visible without its content.
    await context.contents.put(tenant, file.id, bytes);
    await context.catalog.putFile(file);
    return file;
  },

  async list(context: KnowledgeContext, tenant: string, operation: Op<'file.list'>): Promise<KnowledgeResults['file.list']> {
    const files = await context.catalog.listFiles(tenant, operation.purpose);
    return paginate(files, operation.page, (file) => file.id, (file) => file.createdAt);
  },

  get(context: KnowledgeContext, tenant: string, operation: Op<'file.get'>): Promise<StoredFile> {
    return requireFile(context, tenant, operation.fileId);
  },

  async content(context: KnowledgeContext, tenant: string, operation: Op<'file.content'>): Promise<KnowledgeResults['file.content']> {
    const file = await requireFile(context, tenant, operation.fileId);
    const bytes = await context.contents.get(tenant, file.id);
    if (!bytes) throw new GatewayError('internal_error', `The content of file ${file.id} is missing.`);
    return { file, contentBase64: bytes.toString('base64') };
  },

  /** Deletes a file and removes it from every vector store (its chunks included), as OpenAI does. */
  async delete(context: KnowledgeContext, tenant: string, operation: Op<'file.delete'>): Promise<KnowledgeResults['file.delete']> {
    const file = await requireFile(context, tenant, operation.fileId);
    for (const storeFile of await context.catalog.storeFilesOfFile(tenant, file.id)) await removeFileFromStore(context, tenant, storeFile.vectorStoreId, file.id);
    await context.catalog.deleteFile(file.id);
    await context.contents.delete(file.id);
    return { id: file.id };
  },
};

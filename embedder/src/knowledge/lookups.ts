import { GatewayError, type StoredFile } from '@ailb/shared';
import type { StoreRecord } from '../store/knowledge-catalog.js';
import type { KnowledgeContext } from './knowledge-context.js';

/** A tenant's file, or 404 (another tenant's file does not exist for this one). */
export async function requireFile(context: KnowledgeContext, tenant: string, fileId: string): Promise<StoredFile> {
  const file = await context.catalog.getFile(tenant, fileId);
  if (!file) throw new GatewayError('not_found', `No such File object: ${fileId}`, { param: 'file_id' });
  return file;
}

/** A tenant's vector store, or 404. */
export async function requireStore(context: KnowledgeContext, tenant: string, storeId: string): Promise<StoreRecord> {
  const store = await context.catalog.getStoreRecord(tenant, storeId);
  if (!store) throw new GatewayError('not_found', `No vector store found with id '${storeId}'.`, { param: 'vector_store_id' });
  return store;
}

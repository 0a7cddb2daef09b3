import {
  EMPTY_CONTROL_DOCUMENT,
  type ControlDocument,
  type ControlDocumentName,
  type ControlDocumentStore,
  type ControlDocumentUpdate,
} from '../../contracts/control-plane/control-documents.js';

/**
 * The embedded default's control-plane documents. A change runs synchronously on the current
 * document, so nothing can be written in between and no retry is needed.
 */
export class InMemoryControlDocuments implements ControlDocumentStore {
  private readonly documents = new Map<ControlDocumentName, ControlDocument>();

  async read(name: ControlDocumentName): Promise<ControlDocument> {
    return { ...(this.documents.get(name) ?? EMPTY_CONTROL_DOCUMENT) };
  }

  async update(name: ControlDocumentName, change: (current: ControlDocument) => string | null | undefined, now = Date.now()): Promise<ControlDocumentUpdate> {
    const before = { ...(this.documents.get(name) ?? EMPTY_CONTROL_DOCUMENT) };
    const value = change({ ...before });
    if (value === undefined) return { before, after: before, written: false };
    const after: ControlDocument = { revision: before.revision + 1, value, updatedAt: now };
    this.documents.set(name, after);
    return { before, after: { ...after }, written: true };
  }
}

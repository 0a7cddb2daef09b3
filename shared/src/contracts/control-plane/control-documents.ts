/**
 * Control-plane state kept as whole documents: small JSON values read and replaced as one, by
 * compare-and-set, so two operators writing at once through two gateways never interleave a change.
 * `route-overrides`: routes set over the ModuleService (see route-overrides.ts); `config`: the
 * running-changeable sections of the configuration set by `UpdateConfig`; `tenants`: tenant budgets set
 * through the admin API (see governance/tenants.ts).
 */
export type ControlDocumentName = 'route-overrides' | 'config' | 'tenants';

/** One stored document. */
export interface ControlDocument {
  /** Counts the writes, clears included; 0 when never written. Every reader applies only newer ones. */
  revision: number;
  /** The document as JSON text; null when never written or cleared. */
  value: string | null;
  /** When it was last written (epoch ms); 0 when never written. */
  updatedAt: number;
}

/** The outcome of {@link ControlDocumentStore.update}. */
export interface ControlDocumentUpdate {
  /** The document the change was computed from. */
  before: ControlDocument;
  /** The document now stored (`before` when nothing was written). */
  after: ControlDocument;
  written: boolean;
}

/**
 * The documents of one deployment, shared by every gateway: Redis in split mode, memory in the
 * embedded default. A writer publishes the document's `ControlChanges` topic after a write (`routes`
 * for `route-overrides`, `config` for `config`, `tenants` for `tenants`); every gateway re-reads it then.
 */
export interface ControlDocumentStore {
  /** The current document (revision 0, value null when never written). */
  read(name: ControlDocumentName): Promise<ControlDocument>;
  /**
   * Applies `change` atomically: it runs on the current document and its result is stored only if no
   * other writer stored one in between, else it runs again on the newer document. It returns the new
   * JSON text, null to clear the document, or undefined when there is nothing to write; it may throw
   * to refuse (nothing is written). The stored revision is the current one plus one.
   *
   * @param now the write time recorded as `updatedAt` @defaultValue Date.now()
   */
  update(name: ControlDocumentName, change: (current: ControlDocument) => string | null | undefined, now?: number): Promise<ControlDocumentUpdate>;
}

/** The document of a name never written. */
export const EMPTY_CONTROL_DOCUMENT: ControlDocument = { revision: 0, value: null, updatedAt: 0 };

/** How often a change is recomputed when other writers keep winning; far more than a control plane sees. */
export const CONTROL_DOCUMENT_MAX_ATTEMPTS = 20;

/** The error when {@link CONTROL_DOCUMENT_MAX_ATTEMPTS} concurrent writers in a row won. */
export function controlDocumentContention(name: ControlDocumentName): Error {
  return new Error(`${name}: ${CONTROL_DOCUMENT_MAX_ATTEMPTS} concurrent writes in a row won over this one; try again`);
}

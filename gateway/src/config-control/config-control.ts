import {
  parseRouteOverrides,
  serializeRouteOverrides,
  type AppConfig,
  type ConfigFile,
  type ControlChanges,
  type ControlDocumentStore,
  type RouteOverride,
} from '@ailb/shared';
import { redactConfig, renderConfig, type ConfigReading, type ConfigSource } from '@ailb/shared/runtime';
import type { FastifyBaseLogger } from 'fastify';
import type { TraceRecorder } from '../observability/trace-recorder.js';
import type { RateLimitRules } from '../rate-limits/rate-limit-rules.js';
import type { ModelCatalog } from '../routing/model-catalog.js';
import type { RouteTable } from '../routing/route-table.js';
import { ConfigRefused, configuredDocument, parseStoredConfig, planConfigUpdate, resolveStoredSections, type StoredConfig } from './config-update.js';
import { TopicRefresher } from './topic-refresher.js';
import { restartOnlyDifferences, withRuntimeSections } from './runtime-sections.js';

/** Where the running configuration's changeable sections come from. */
export interface ConfigOrigin {
  /** `file`: this gateway's file and environment (start, Reload, SIGHUP); `cluster`: UpdateConfig, for every gateway. */
  kind: 'file' | 'cluster';
  /** `file:<n>` (the n-th load of the file by this gateway), or the id given to UpdateConfig (default `cluster:<revision>`). */
  configId: string;
  /** When this gateway applied it (file) or when it was stored (cluster), epoch ms. */
  updatedAt: number;
}

/** What a gateway applies configuration and route changes to. */
export interface ConfigTargets {
  routeTable: RouteTable;
  catalog: ModelCatalog;
  traces: TraceRecorder;
  rateLimits?: RateLimitRules;
}

export interface ConfigControlOptions extends ConfigTargets {
  /** The configuration the gateway started with, and the file as written. */
  reading: ConfigReading;
  /** Re-reads file and environment; absent when the gateway was built in-process without one (Reload then refuses). */
  source: ConfigSource | undefined;
  /** Resolves UpdateConfig documents, never interpolating them (the source, or one with an empty environment). */
  resolver: ConfigSource;
  store: ControlDocumentStore;
  changes: ControlChanges;
  logger: FastifyBaseLogger;
  /** Delay before reading a document again after a failed read. @defaultValue 1000 */
  retryMs?: number;
}

/**
 * The configuration a gateway runs on, and the control plane's changes to it: route overrides
 * (UpdateRoutes, DeleteRoute) and the changeable sections set by UpdateConfig, both stored for the
 * whole deployment (Redis in split mode) and applied by every gateway when the `routes` or `config`
 * topic is published — and by the writer at once, so its next request sees its own change. A reload
 * re-reads this gateway's file. Applying is one synchronous swap (route table, routing settings,
 * tracing, rate-limit rules): a request plans with the old configuration or the new one, never a mix,
 * and requests in flight keep their plan. Nothing here runs on a request's path.
 */
export class ConfigControl {
  private base: ConfigReading;
  private current: AppConfig;
  private origin: ConfigOrigin;
  /** The stored `config` document last applied (undefined: none, the file's sections apply). */
  private cluster: (StoredConfig & { revision: number; updatedAt: number }) | undefined;
  /** The newest revision of the stored `config` document read, and the one this gateway runs on (a reset counts). */
  private configRevision = 0;
  private appliedRevision = 0;
  /** Why this gateway does not run the newest stored revision, when it does not. */
  private refusal: { revision: number; reason: string } | undefined;
  /** This gateway's file as it configures itself (no env-var overrides of changeable keys), per reading. */
  private fileDocument: { reading: ConfigReading; document: ConfigFile } | undefined;
  private routesRevision = 0;
  private stored: readonly RouteOverride[] = [];
  private fileLoads = 1;
  private readonly refresher: TopicRefresher;
  private unsubscribe: (() => void) | undefined;
  private closed = false;

  constructor(private readonly options: ConfigControlOptions) {
    this.base = options.reading;
    this.current = options.reading.config;
    this.origin = { kind: 'file', configId: 'file:1', updatedAt: Date.now() };
    this.refresher = new TopicRefresher((topic) => (topic === 'config' ? this.refreshConfig() : this.refreshRoutes()), options.logger, options.retryMs);
  }

  /** Applies what the deployment's store holds (a failure fails the start) and follows changes from then on. */
  async start(): Promise<void> {
    this.unsubscribe = this.options.changes.subscribe((topic) => {
      if (topic === 'config' || topic === 'routes') void this.refresher.refresh(topic);
    });
    await this.refreshConfig();
    await this.refreshRoutes();
  }

  /** The configuration this gateway runs on now. */
  get config(): AppConfig {
    return this.current;
  }

  /**
   * Where the changeable sections come from, and since when: `revision` is the newest stored
   * revision this gateway read, `appliedRevision` the one it runs on (0: none, its file), and
   * `refused` why they differ (this gateway cannot apply the newest one; it keeps what it had).
   */
  get describe(): ConfigOrigin & { revision: number; appliedRevision: number; refused: string | undefined; file: string | undefined; reloadable: boolean } {
    const refused = this.refusal && `revision ${this.refusal.revision}: ${this.refusal.reason}`;
    return { ...this.origin, revision: this.configRevision, appliedRevision: this.appliedRevision, refused, file: this.base.path, reloadable: this.options.source !== undefined };
  }

  /** The running configuration in the config file's shape, secrets redacted (GetConfig). */
  redactedDocument(): unknown {
    return redactConfig(renderConfig(this.current), this.base.written, renderConfig(this.base.config));
  }

  /** The route overrides stored for the deployment (the ones in force, unless a concurrent change left some out). */
  get overrides(): readonly RouteOverride[] {
    return this.stored;
  }

  /**
   * UpdateConfig: checks `patch` (a merge patch of the GetConfig document) against the configuration
   * as stored for the deployment, stores the changeable sections, applies them here and tells every
   * gateway. With `validateOnly` nothing is stored. Throws {@link ConfigRefused} listing every problem.
   */
  async update(patch: unknown, options: { validateOnly: boolean; configId?: string }): Promise<{ revision: number; configId: string } | { validated: true }> {
    const plan = (storedValue: string | null) => {
      // Checked against the deployment's document as stored now, not what this gateway last applied.
      const stored = storedValue === null ? undefined : parseStoredConfig(storedValue);
      if (storedValue !== null && !stored) throw new ConfigRefused(['config: the stored configuration was written by another version of AILB; send UpdateConfig with metadata reset=file first'], 'UpdateConfig refused');
      const file = this.configuredFile();
      const document = stored ? withRuntimeSections(file, stored.sections) : file;
      const context = { document, file, written: this.base.written, running: this.base.config, source: this.options.resolver, overrides: this.stored };
      const planned = planConfigUpdate(patch, context);
      if ('problems' in planned) throw new ConfigRefused(planned.problems, 'UpdateConfig refused');
      return planned.plan;
    };
    if (options.validateOnly) {
      plan((await this.options.store.read('config')).value);
      return { validated: true };
    }
    const update = await this.options.store.update('config', (current) => {
      const { sections } = plan(current.value);
      return JSON.stringify({ sections, configId: options.configId || `cluster:${current.revision + 1}` } satisfies StoredConfig);
    });
    this.applyStoredConfig(update.after.revision, update.after.value, update.after.updatedAt);
    await this.options.changes.publish('config');
    return { revision: update.after.revision, configId: this.origin.configId };
  }

  /** UpdateConfig with `reset`: forgets the stored sections; every gateway returns to its own file's. */
  async reset(): Promise<{ revision: number }> {
    const update = await this.options.store.update('config', (current) => (current.value === null ? undefined : null));
    if (update.written) this.applyStoredConfig(update.after.revision, null, update.after.updatedAt);
    await this.options.changes.publish('config');
    return { revision: update.after.revision };
  }

  /**
   * Reload (and SIGHUP): re-reads this gateway's file and environment, refuses restart-only changes,
   * and applies the changeable sections — unless UpdateConfig set them for the deployment, which then
   * stay in force (the message says so). Throws {@link ConfigRefused}, changing nothing.
   */
  async reload(): Promise<string> {
    const source = this.options.source;
    if (!source) throw new ConfigRefused(['AILB_CONFIG: this gateway was started in-process without a configuration source, so there is nothing to re-read'], 'reload refused');
    let reading: ConfigReading;
    try {
      reading = source.read();
    } catch (error) {
      throw new ConfigRefused([(error as Error).message], 'reload refused');
    }
    const restartOnly = restartOnlyDifferences(renderConfig(this.base.config), renderConfig(reading.config));
    if (restartOnly.length > 0) throw new ConfigRefused(restartOnly, 'reload refused');
    const previous = this.base;
    this.base = reading;
    const next = this.cluster ? this.resolveSections(this.cluster.sections) : { config: reading.config };
    if ('problems' in next) {
      this.base = previous;
      throw new ConfigRefused(next.problems.map((problem) => `${problem} (with the configuration set through UpdateConfig)`), 'reload refused');
    }
    this.fileLoads++;
    const file = reading.path ?? 'the environment';
    if (this.cluster) {
      this.apply(next.config, this.origin);
      return `reloaded ${file}; routes, routing.strategy/timeouts/retries/continue_streams/hedge_after_ms, tracing and rate_limits stay as set through UpdateConfig (${this.cluster.configId}); send UpdateConfig with metadata reset=file to use the file's`;
    }
    this.apply(next.config, { kind: 'file', configId: `file:${this.fileLoads}`, updatedAt: Date.now() });
    const refused = this.refusal ? `; this gateway still refuses the configuration stored through UpdateConfig (revision ${this.refusal.revision}): ${this.refusal.reason}` : '';
    return `reloaded ${file}: ${next.config.routes.length} configured routes, strategy ${next.config.routing.strategy}${refused}`;
  }

  /**
   * Changes the route overrides for the deployment: `change` gets the stored overrides and returns the
   * new ones (it validates and may throw to refuse; undefined: nothing to write). Applies them here and
   * tells every gateway.
   */
  async changeRoutes(change: (current: readonly RouteOverride[], configRoutes: AppConfig['routes']) => RouteOverride[] | undefined): Promise<void> {
    const update = await this.options.store.update('route-overrides', (current) => {
      const overrides = parseRouteOverrides(current.value);
      if (!overrides) throw new Error('the stored route overrides were written by another version of AILB and cannot be read');
      const next = change(overrides, this.current.routes);
      return next === undefined ? undefined : serializeRouteOverrides(next);
    });
    if (!update.written) return;
    this.applyOverrides(update.after.revision, parseRouteOverrides(update.after.value) ?? []);
    await this.options.changes.publish('routes');
  }

  /** Stops following changes. Idempotent. */
  close(): void {
    this.closed = true;
    this.unsubscribe?.();
    this.refresher.close();
  }

  private async refreshConfig(): Promise<void> {
    const document = await this.options.store.read('config');
    if (!this.closed) this.applyStoredConfig(document.revision, document.value, document.updatedAt);
  }

  private async refreshRoutes(): Promise<void> {
    const document = await this.options.store.read('route-overrides');
    if (this.closed || document.revision <= this.routesRevision) return;
    const overrides = parseRouteOverrides(document.value);
    if (!overrides) {
      this.routesRevision = document.revision;
      this.options.logger.error({ revision: document.revision }, 'the stored route overrides were written by another version of AILB; the routes in force stay');
      return;
    }
    this.applyOverrides(document.revision, overrides);
  }

  /**
   * Applies a stored `config` document newer than the one applied (null: none, the file's sections).
   * Every gateway applies the same document the same way (it is never interpolated); one that cannot
   * apply it whole — an env var such as ROUTING_STRATEGY decides a key differently here, a route needs
   * a deployment this gateway lacks — keeps what it runs, says so in GetConfig and logs why.
   */
  private applyStoredConfig(revision: number, value: string | null, updatedAt: number): void {
    if (revision <= this.configRevision) return;
    this.configRevision = revision;
    if (value === null) {
      this.appliedRevision = revision;
      this.refusal = undefined;
      if (!this.cluster) return;
      this.cluster = undefined;
      this.apply(this.base.config, { kind: 'file', configId: `file:${this.fileLoads}`, updatedAt: Date.now() });
      return;
    }
    const stored = parseStoredConfig(value);
    const next = stored && this.resolveSections(stored.sections);
    if (!stored || !next || 'problems' in next) {
      const problems = next && 'problems' in next ? next.problems : ['config: written by another version of AILB, which this one cannot read'];
      this.refusal = { revision, reason: problems.join('; ') };
      this.options.logger.error(
        { revision, appliedRevision: this.appliedRevision, problems },
        `this gateway refuses the configuration stored through UpdateConfig (revision ${revision}) and keeps running revision ${this.appliedRevision}: ${this.refusal.reason}`,
      );
      return;
    }
    this.appliedRevision = revision;
    this.refusal = undefined;
    this.cluster = { ...stored, revision, updatedAt };
    this.apply(next.config, { kind: 'cluster', configId: stored.configId, updatedAt });
  }

  private applyOverrides(revision: number, overrides: RouteOverride[]): void {
    if (revision <= this.routesRevision) return;
    this.routesRevision = revision;
    this.stored = overrides;
    this.applyRoutes();
  }

  private resolveSections(sections: ConfigFile): { config: AppConfig } | { problems: string[] } {
    return resolveStoredSections(this.base.config, sections, this.options.resolver);
  }

  /** This gateway's file as UpdateConfig builds on it (cached per reading). */
  private configuredFile(): ConfigFile {
    if (this.fileDocument?.reading !== this.base) this.fileDocument = { reading: this.base, document: configuredDocument(this.base, this.options.source) };
    return this.fileDocument.document;
  }

  /** The one swap: every changeable part at once, synchronously. */
  private apply(config: AppConfig, origin: ConfigOrigin): void {
    this.current = config;
    this.origin = origin;
    const { catalog, traces, rateLimits } = this.options;
    const { strategy, timeouts, retries, continueStreams, hedgeAfterMs } = config.routing;
    catalog.updateRouting({ strategy, timeouts, retries, continueStreams, hedgeAfterMs });
    traces.successSampleRate = config.tracing.successSampleRate;
    rateLimits?.setConfigRules(config.rateLimits ?? []);
    this.applyRoutes();
  }

  private applyRoutes(): void {
    const skipped = this.options.routeTable.setLayers(this.current.routes, this.stored);
    for (const { override, problem } of skipped) {
      this.options.logger.error({ route: override.model, problem }, 'a route set through UpdateRoutes no longer holds with the configuration and is not served; set or delete it again');
    }
  }
}

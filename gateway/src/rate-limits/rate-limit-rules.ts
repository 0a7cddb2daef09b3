import type { ControlChanges, RateLimitBucket, RateLimitRule, RateLimitStore } from '@ailb/shared';
import type { FastifyBaseLogger } from 'fastify';
import { TopicFollower } from '../control-plane/topic-follower.js';
import { RuleIndex } from './rule-index.js';

/** What removing a rule did. */
export type RuleRemoval =
  /** A control-plane rule was deleted. */
  | 'removed'
  /** A control-plane rule that overrode a config-file rule was deleted: the config rule applies again. */
  | 'config-restored'
  /** Only the config file defines this id: it cannot be removed over the control plane. */
  | 'config-only'
  | 'not-found';

export interface RateLimitRulesOptions {
  store: RateLimitStore;
  changes: ControlChanges;
  /** Rules of the config file (`metadata.source` = `config`). */
  configRules: readonly RateLimitRule[];
  logger: FastifyBaseLogger;
  /** Delay before re-reading rules after a failed read. @defaultValue 1000 */
  retryMs?: number;
}

/**
 * Rules of both sources by id, a control-plane rule replacing the config rule of its id; then the
 * rules API keys' `limits` make (ids `key-limits:<key id>`, which no other source can take).
 */
function merge(configRules: readonly RateLimitRule[], stored: readonly RateLimitRule[], keyRules: readonly RateLimitRule[] = []): RateLimitRule[] {
  const byId = new Map(configRules.map((rule) => [rule.id, rule]));
  for (const rule of stored) {
    byId.set(rule.id, byId.has(rule.id) ? { ...rule, metadata: { ...rule.metadata, overrides: 'config' } } : rule);
  }
  for (const rule of keyRules) if (!byId.has(rule.id)) byId.set(rule.id, rule);
  return [...byId.values()].sort((left, right) => (left.id < right.id ? -1 : left.id > right.id ? 1 : 0));
}

/**
 * The rate-limit rules of the deployment as this gateway sees them: config-file rules merged with
 * control-plane rules from the shared store. The merged rules are cached (as a {@link RuleIndex})
 * and re-read whenever any gateway publishes the `rate-limits` topic, so matching a request never
 * touches the store. Writes go to the store and are then published.
 */
export class RateLimitRules {
  private configRules: readonly RateLimitRule[];
  private stored: readonly RateLimitRule[] = [];
  private keyRules: readonly RateLimitRule[] = [];
  private current: RuleIndex;

  private readonly follower: TopicFollower<RateLimitRule[]>;

  constructor(private readonly options: RateLimitRulesOptions) {
    this.configRules = options.configRules;
    this.current = new RuleIndex(this.configRules);
    this.follower = new TopicFollower({
      changes: options.changes,
      topic: 'rate-limits',
      read: () => options.store.list(),
      apply: (stored) => {
        this.stored = stored;
        this.current = new RuleIndex(merge(this.configRules, stored, this.keyRules));
      },
      logger: options.logger,
      what: 'rate-limit rules',
      ...(options.retryMs === undefined ? {} : { retryMs: options.retryMs }),
    });
  }

  /** Reads the stored rules (a failure fails the start) and follows changes from then on. */
  async start(): Promise<void> {
    await this.follower.start();
  }

  /** The index requests are matched against. */
  get index(): RuleIndex {
    return this.current;
  }

  /** The buckets a request takes a token from; empty when no rule applies. */
  bucketsFor(clientAddress: string, model: string | undefined, keyId?: string, tenant?: string): readonly RateLimitBucket[] {
    return this.current.bucketsFor(clientAddress, model, keyId, tenant);
  }

  /** Every rule in force or listed (disabled ones too), read fresh from the store; `target` canonical. */
  async list(target?: string): Promise<RateLimitRule[]> {
    const rules = merge(this.configRules, await this.options.store.list());
    return target === undefined ? rules : rules.filter((rule) => rule.target === target);
  }

  /**
   * Stores a control-plane rule (upsert by id; `metadata.source` becomes `grpc`) and tells every
   * gateway. Says whether the id was new and whether it overrides a config-file rule.
   */
  async set(rule: RateLimitRule): Promise<{ created: boolean; overridesConfig: boolean }> {
    const created = (await this.options.store.get(rule.id)) === undefined;
    await this.options.store.set({ ...rule, metadata: { ...rule.metadata, source: 'grpc' } });
    await this.options.changes.publish('rate-limits');
    return { created, overridesConfig: this.configRules.some((configRule) => configRule.id === rule.id) };
  }

  /** Deletes a control-plane rule and tells every gateway; a config-file rule cannot be deleted. */
  async remove(id: string): Promise<RuleRemoval> {
    const inConfig = this.configRules.some((rule) => rule.id === id);
    if (!(await this.options.store.remove(id))) return inConfig ? 'config-only' : 'not-found';
    await this.options.changes.publish('rate-limits');
    return inConfig ? 'config-restored' : 'removed';
  }

  /** Replaces the config-file rules (a configuration reload); control-plane rules keep overriding them. */
  setConfigRules(rules: readonly RateLimitRule[]): void {
    this.configRules = rules;
    this.current = new RuleIndex(merge(this.configRules, this.stored, this.keyRules));
  }

  /**
   * Replaces the rules made from API keys' `limits` (the key registry calls this whenever keys
   * change). They are enforced like every other rule but not listed: they are managed with their key.
   */
  setKeyRules(rules: readonly RateLimitRule[]): void {
    this.keyRules = rules;
    this.current = new RuleIndex(merge(this.configRules, this.stored, this.keyRules));
  }

  /** Stops following changes. Idempotent. */
  close(): void {
    this.follower.close();
  }


}

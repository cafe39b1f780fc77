import type { AccessRules } from './access/access.ts';
import type { AuditLog } from './access/audit-log.ts';
import type { CacheStore } from './cache/cache-store.ts';
import type { Database } from './database/database.ts';
import type { Migrations } from './database/migrations.ts';
import type { EventBus } from './events/event-bus.ts';
import type { Logger } from './logger.ts';
import type { Metrics } from './metrics.ts';
import type { BaseContext, Subgraph } from './subgraph.ts';

export type Environment = Readonly<Record<string, string | undefined>>;

export interface SubgraphDeps {
  cacheStore: CacheStore;
  eventBus: EventBus;
  logger: Logger;
  /** Prometheus instruments shared with the gateway (absent: nothing is measured). */
  metrics?: Metrics | undefined;
  /** The system of record, opened and migrated when some provider declares `migrations`. */
  database?: Database | undefined;
  /** The audit trail, for what a subgraph does outside mutations (OAuth callbacks, failed token refreshes). */
  audit?: AuditLog | undefined;
}

/**
 * How the application learns about a provider without knowing it: which environment makes it talk to
 * the real service, and how to build its subgraph from the environment.
 */
export interface Provider {
  readonly name: string;
  /** Who may use its fields; the gateway enforces them (root fields without a rule are denied). */
  readonly accessRules: AccessRules;
  /** Tables it keeps in the database (kit/database); their presence makes the application open one. */
  readonly migrations?: Migrations | undefined;
  /**
   * Providers whose emulator variables this one reads too (the connections feature needs X's and GitHub's
   * OAuth endpoints): when those run against their emulator, it gets their emulator's variables.
   */
  readonly readsEnvOf?: readonly string[] | undefined;
  /** True when the environment holds real credentials, so that no emulator is started for it. */
  usesRealService(env: Environment): boolean;
  /** Validates the provider's variables (throws ConfigError listing all problems) and returns its factory. */
  configure(env: Environment): (deps: SubgraphDeps) => Subgraph<BaseContext>;
}

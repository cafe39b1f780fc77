import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { accessRulesOf, gatewayOptionsFromConfig } from '../gateway/options-from-config.ts';
import { startGateway, type RunningGateway } from '../gateway/server.ts';
import { emulators, type RunningEmulator } from '../emulators/index.ts';
import { createAuditLog } from '../kit/access/audit-log.ts';
import { createMetrics } from '../kit/metrics.ts';
import { createCacheStore } from '../kit/cache/create-cache-store.ts';
import type { EventBus } from '../kit/events/event-bus.ts';
import { createLogger, type Logger } from '../kit/logger.ts';
import { createEventBus } from '../kit/events/create-event-bus.ts';
import { openDatabaseFor } from '../kit/database/open-for-providers.ts';
import { withConnectedIdentities } from '../kit/connections/identities.ts';
import { createPrincipalTokens } from '../kit/access/principal-token.ts';
import type { Environment, Provider } from '../kit/provider.ts';
import { startSubgraphServer } from '../kit/subgraph-server.ts';
import type { BaseContext, Subgraph } from '../kit/subgraph.ts';
import { watchSchemaFolder, type ServedSubgraph } from './schema-watch.ts';
import { print } from 'graphql';
import type { WebhookRoute } from '../kit/webhooks/webhook-route.ts';
import { configure, emulatedProviders } from './configure.ts';
import { derivedPort, EMULATOR_PORT_OFFSET, explainPortInUse, firstPortInUse, portInUseMessage, PortInUseError, SUBGRAPH_PORT_OFFSET } from './ports.ts';
import { providers as allProviders } from './providers.ts';

export interface RunningApp {
  readonly gateway: RunningGateway;
  readonly subgraphs: readonly { name: string; url: string }[];
  readonly emulators: readonly { name: string; url: string; hint: string }[];
  readonly cache: 'memory' | 'redis';
  /** Normalized provider events (from verified webhooks), for subscriptions and tests. */
  readonly eventBus: EventBus;
  close(): Promise<void>;
}

export interface StartAppOptions {
  env: Environment;
  logger?: Logger;
  providers?: readonly Provider[];
  supergraphPath?: URL;
  /**
   * Development: recompose and reload when a file of `schemaFolder` changes (app/schema-watch.ts). On
   * by default when NODE_ENV is `development`.
   */
  watchSchema?: boolean;
  schemaFolder?: URL;
}

const SUPERGRAPH = new URL('../schema/supergraph.graphql', import.meta.url);
const SCHEMA_FOLDER = new URL('../schema/', import.meta.url);

/**
 * Everything `npm start` runs, in one process: an emulator for each provider without real credentials,
 * every subgraph, and the gateway in front. Closes what it started if any step fails.
 */
export async function startApp({ env, logger: givenLogger, providers = allProviders, supergraphPath = SUPERGRAPH, watchSchema, schemaFolder = SCHEMA_FOLDER }: StartAppOptions): Promise<RunningApp> {
  // Validate everything before starting anything (emulator URLs are not known yet).
  const { gateway: config, subgraphs } = configure(env, providers);
  const emulated = emulatedProviders(env, providers);
  const logger = givenLogger ?? createLogger({ level: config.LOG_LEVEL, name: 'gateway' });
  const closers: (() => Promise<void>)[] = [];
  const closeAll = async () => {
    for (const close of closers.splice(0).reverse()) {
      await close().catch((err: unknown) => logger.error({ err }, 'error while shutting down'));
    }
  };
  // A port of the range taken: say which, by whom, that PORT claims the range, and what to do. Checked
  // before anything starts; a port taken in the meantime is reported the same way when it fails to listen.
  const where = (component: string, port: number) => ({ component, port, host: config.HOST, gatewayPort: config.PORT, providers: providers.length, emulators: providers.filter((p) => emulators[p.name]).length });
  const portInUse = (component: string, port: number) => (error: unknown): never => {
    throw explainPortInUse(error, where(component, port));
  };
  const taken = await firstPortInUse(config.HOST, [
    { component: 'the gateway', port: config.PORT },
    ...subgraphs.map(({ name }, index) => ({ component: `the ${name} subgraph`, port: derivedPort(config.PORT, SUBGRAPH_PORT_OFFSET, index) })),
    ...emulated.map(({ name }, index) => ({ component: `the ${name} emulator`, port: derivedPort(config.PORT, EMULATOR_PORT_OFFSET, index) })),
  ]);
  if (taken) throw new PortInUseError(portInUseMessage(where(taken.component, taken.port)), taken.port, taken.component);
  try {
    const running = new Map<string, RunningEmulator>();
    await Promise.all(
      emulated.map(async (provider, index) => {
        const port = derivedPort(config.PORT, EMULATOR_PORT_OFFSET, index);
        const emulator = await emulators[provider.name]!.start({ host: config.HOST, port, env }).catch(portInUse(`the ${provider.name} emulator`, port));
        closers.push(() => emulator.close());
        running.set(provider.name, emulator);
      }),
    );
    const configured = configure(env, providers, Object.fromEntries([...running].map(([name, emulator]) => [name, emulator.url])));
    const cacheStore = await createCacheStore({ redisUrl: config.REDIS_URL, keyPrefix: config.REDIS_KEY_PREFIX, logger });
    closers.push(() => cacheStore.close());

    // With Redis, a webhook received by any replica reaches subscribers on every replica.
    const eventBus = await createEventBus({ redisUrl: config.REDIS_URL, keyPrefix: config.REDIS_KEY_PREFIX, logger });
    closers.push(() => eventBus.close());
    const database = await openDatabaseFor(providers, config, logger);
    if (database) closers.push(() => database.close());

    // Gateway and subgraphs share this process, so an unset secret can be a random one nobody else knows.
    const tokens = createPrincipalTokens(config.SUBGRAPH_SECRET ? new TextEncoder().encode(config.SUBGRAPH_SECRET) : randomBytes(32));
    const metrics = createMetrics({ collectDefault: true });
    const audit = createAuditLog({ logger, file: config.AUDIT_LOG_FILE });
    closers.push(() => audit.close());
    const servers: ServedSubgraph[] = [];
    const webhooks: WebhookRoute[] = [];
    // A subgraph's server may be restarted (schema watch) while the subgraph, its clients and webhooks stay:
    // servers get it without its close, which runs once, after the last server.
    const serve = (subgraph: Subgraph<BaseContext>, port: number) => startSubgraphServer({ subgraph: { ...subgraph, close: async () => {} }, host: config.HOST, port, logger, tokens, audit });
    for (const [index, { name, create }] of configured.subgraphs.entries()) {
      const subgraph = create({ cacheStore, eventBus, logger, metrics, database, audit });
      closers.push(() => subgraph.close());
      webhooks.push(...(subgraph.webhooks ?? []));
      const port = derivedPort(config.PORT, SUBGRAPH_PORT_OFFSET, index);
      const server = await serve(subgraph, port).catch(portInUse(`the ${name} subgraph`, port));
      const served: ServedSubgraph = { name, subgraph, server, sdl: print(subgraph.typeDefs) };
      closers.push(() => served.server.close());
      servers.push(served);
    }
    const fromConfig = gatewayOptionsFromConfig(config);
    const gateway = await startGateway({
      supergraphSdl: readFileSync(supergraphPath, 'utf8'),
      subgraphUrls: Object.fromEntries(servers.map(({ name, server }) => [name, server.url])),
      // Looked up per request: the schema watch may have restarted a subgraph's server since.
      inProcessSubgraphs: config.SUBGRAPH_TRANSPORT === 'in-process' ? (name) => servers.find((served) => served.name === name.toLowerCase())?.server.call : undefined,
      host: config.HOST,
      port: config.PORT,
      logger,
      cacheStore,
      webhooks,
      tokens,
      audit,
      metrics,
      accessRules: accessRulesOf(providers),
      providerSubgraphs: providers.map((provider) => provider.name),
      ...fromConfig,
      // Users' connected accounts are their linked identities (see kit/connections/identities.ts).
      authenticate: database && providers.some((p) => p.name === 'connections') ? withConnectedIdentities(fromConfig.authenticate, database, logger) : fromConfig.authenticate,
    }).catch(portInUse('the gateway', config.PORT));
    closers.push(() => gateway.close());
    if (watchSchema ?? config.NODE_ENV === 'development') {
      // Compared by text with the files: what the subgraphs were built from is read from the same files.
      for (const entry of servers) entry.sdl = readFileSync(new URL(`${entry.name}.graphql`, schemaFolder), 'utf8');
      const watcher = watchSchemaFolder({ folder: schemaFolder, served: servers, restart: serve, reload: (sdl) => gateway.reload(sdl), logger });
      closers.push(async () => watcher.stop());
    }
    const gatewayBase = gateway.url.replace(/\/graphql$/, '');
    for (const emulator of running.values()) emulator.connectGateway?.(gatewayBase);
    for (const { subgraph } of servers) subgraph.connectGateway?.(gatewayBase);
    return {
      gateway,
      subgraphs: servers.map(({ name, server }) => ({ name, url: server.url })),
      emulators: emulated.flatMap(({ name }) => {
        const emulator = running.get(name);
        return emulator ? [{ name, url: emulator.url, hint: emulator.hint }] : [];
      }),
      cache: cacheStore.kind,
      eventBus,
      close: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

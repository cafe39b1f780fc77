import type { ApolloServerPlugin, GraphQLRequestContext } from '@apollo/server';
import type { DocumentNode, FormattedExecutionResult, OperationDefinitionNode } from 'graphql';
import { fragmentsOf, rootFieldNodes } from '../selections.ts';
import { ErrorCode } from '../../kit/errors.ts';
import responseCachePlugin from '@apollo/server-plugin-response-cache';
import { KeyvAdapter } from '@apollo/utils.keyvadapter';
import type { CacheStore } from '../../kit/cache/cache-store.ts';
import type { Logger } from '../../kit/logger.ts';
import type { Metrics } from '../../kit/metrics.ts';
import type { WebhookRoute } from '../../kit/webhooks/webhook-route.ts';
import { answerSessionOf, type GatewayContext } from './gateway-context.ts';

export interface ResponseCache {
  /** Our cache policy first, then Apollo's response cache plugin, which reads and writes the entries. */
  readonly plugins: readonly ApolloServerPlugin<GatewayContext>[];
  /** Forgets every cached answer (all replicas' when the store is Redis). */
  purge(): Promise<void>;
  /** Purges after a mutation that may have changed something (see `mayHaveChangedData`). */
  afterMutation(result: Pick<FormattedExecutionResult, 'data' | 'errors'>, document: DocumentNode, operation: OperationDefinitionNode): Promise<void>;
}

/** Refusals made here or by a subgraph's access checks, before any provider is called. */
const REFUSALS = new Set<string>([ErrorCode.FORBIDDEN, ErrorCode.UNAUTHENTICATED]);

/**
 * Whether a mutation's result leaves room for a change: any mutation field with a value, or any error other
 * than a refusal (a provider may have failed after committing). A mutation refused outright changed
 * nothing, nor did one that selects only `__typename`: neither may let anyone, even anonymous, empty
 * everyone's cache at will. `fields` are the response keys of the mutation fields the operation selects
 * (`mutationFieldKeys`).
 */
export function mayHaveChangedData({ data, errors }: Pick<FormattedExecutionResult, 'data' | 'errors'>, fields: ReadonlySet<string>): boolean {
  if (fields.size === 0) return false;
  if (data && [...fields].some((key) => data[key] !== null && data[key] !== undefined)) return true;
  return !(errors ?? []).every((error) => REFUSALS.has(String(error.extensions?.['code'])));
}

/** The response keys of the root fields an operation selects, `__typename` aside (through fragments at the root). */
export function mutationFieldKeys(document: DocumentNode, operation: OperationDefinitionNode): Set<string> {
  return new Set(rootFieldNodes(operation.selectionSet, fragmentsOf(document.definitions)).map((field) => field.alias?.value ?? field.name.value));
}

/** Whether the operation selects one of these root fields (directly or through fragments at the root). */
export function selectsRootField(document: DocumentNode, operation: OperationDefinitionNode, names: ReadonlySet<string>): boolean {
  return rootFieldNodes(operation.selectionSet, fragmentsOf(document.definitions)).some((field) => names.has(field.name.value));
}

/**
 * Whole answers of queries, per caller, for `ttlSeconds` (RESPONSE_CACHE_TTL_SECONDS): a repeated query
 * is answered without a subgraph or provider call. Only authenticated callers' complete answers are kept:
 * never one with errors (a refusal, a failed provider) or one that a subgraph served from stale entries.
 * A mutation that may have changed something, or a verified provider webhook (see `purgingWebhooks`),
 * forgets every entry: nothing records which answers the change reached. Answers that select a live root
 * field are never kept. An answer being computed while entries are
 * forgotten is not kept (the generation check), so it cannot bring back what the purge removed.
 */
export function createResponseCache({
  cacheStore,
  ttlSeconds,
  logger,
  liveRootFields = new Set(),
  metrics,
}: {
  cacheStore: CacheStore;
  ttlSeconds: number;
  logger: Logger;
  /** Root fields whose answers must always be fresh (the gateway's own `providerStatus`): never kept. */
  liveRootFields?: ReadonlySet<string>;
  /** Counts hits, misses and purges (`fgw_response_cache_total`). */
  metrics?: Metrics | undefined;
}): ResponseCache {
  const keyv = cacheStore.namespace('responses');
  // Library boundary: KeyvAdapter's keyv typings differ from keyv's own in types only (stack notes, pitfall 11).
  const cache = new KeyvAdapter<string>(keyv as unknown as ConstructorParameters<typeof KeyvAdapter>[0]);
  let generation = 0;
  const startedIn = new WeakMap<GatewayContext, number>();
  const purge = async () => {
    generation++;
    metrics?.recordResponseCache('purge');
    // A purge that fails (Redis down) leaves entries to expire by their TTL; the answer is still sent.
    await keyv.clear().catch((err: unknown) => logger.error({ err }, 'could not purge the response cache; entries expire by their TTL'));
  };
  const afterMutation: ResponseCache['afterMutation'] = async (result, document, operation) => {
    if (mayHaveChangedData(result, mutationFieldKeys(document, operation))) await purge();
  };
  const isUser = ({ contextValue }: GraphQLRequestContext<GatewayContext>) => contextValue.caller.kind === 'user';
  const isLive = ({ document, operation }: GraphQLRequestContext<GatewayContext>) =>
    liveRootFields.size > 0 && document !== undefined && operation !== undefined && selectsRootField(document, operation, liveRootFields);
  const policy: ApolloServerPlugin<GatewayContext> = {
    async requestDidStart({ contextValue }) {
      startedIn.set(contextValue, generation);
      return {
        async willSendResponse({ document, operation, contextValue, overallCachePolicy, response, metrics: request }) {
          if (operation?.operation === 'mutation' && document) return response.body.kind === 'single' ? afterMutation(response.body.singleResult, document, operation) : purge();
          if (operation?.operation !== 'query' || contextValue.caller.kind !== 'user') return;
          // Set by Apollo's plugin, whose responseForOperation has run by now.
          metrics?.recordResponseCache(request.responseCacheHit ? 'hit' : 'miss');
          // The cache control plugin is off (it wraps every resolver), so the policy is ours to set: private
          // to the session, for the configured time. Apollo's plugin then writes only error-free answers.
          overallCachePolicy.replace({ maxAge: ttlSeconds, scope: 'PRIVATE' });
        },
      };
    },
  };
  return {
    plugins: [
      policy,
      responseCachePlugin<GatewayContext>({
        cache,
        sessionId: async ({ contextValue }) => answerSessionOf(contextValue),
        shouldReadFromCache: async (request) => isUser(request),
        shouldWriteToCache: async (request) =>
          isUser(request) && !isLive(request) && (request.contextValue.stale?.length ?? 0) === 0 && startedIn.get(request.contextValue) === generation,
      }),
    ],
    purge,
    afterMutation,
  };
}

/**
 * The webhook routes, each followed by a purge of the response cache once a delivery was accepted: at
 * once, and again when the subgraph has finished processing it (its own cache evictions), so that no answer
 * computed from the entries it evicts survives. A redirect counts as accepted (an OAuth callback's 303 to the
 * application's page); the connection itself is made by `confirmConnection`, which purges as mutations do.
 */
export function purgingWebhooks(routes: readonly WebhookRoute[], purge: () => Promise<void>): WebhookRoute[] {
  return routes.map((route) => ({
    ...route,
    async handle(request) {
      const response = await route.handle(request);
      if (response.status < 400 && response.body['duplicate'] !== true) {
        await purge();
        if (hasDrain(route)) void route.drain().then(purge);
      }
      return response;
    },
  }));
}

const hasDrain = (route: WebhookRoute): route is WebhookRoute & { drain(): Promise<void> } =>
  typeof (route as { drain?: unknown }).drain === 'function';

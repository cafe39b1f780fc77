import type { ApolloServerPlugin, GraphQLRequestContext } from '@apollo/server';
import responseCachePlugin from '@apollo/server-plugin-response-cache';
import { KeyvAdapter } from '@apollo/utils.keyvadapter';
import type { CacheStore } from '../../subgraphs/kit/cache-store.ts';
import type { Logger } from '../../subgraphs/kit/logger.ts';
import type { Caller } from '../../subgraphs/kit/principal.ts';
import type { WebhookRoute } from '../../subgraphs/kit/webhook-route.ts';
import type { GatewayContext } from './gateway-context.ts';

export interface ResponseCache {
  /** Our cache policy first, then Apollo's response cache plugin, which reads and writes the entries. */
  readonly plugins: readonly ApolloServerPlugin<GatewayContext>[];
  /** Forgets every cached answer (all replicas' when the store is Redis). */
  purge(): Promise<void>;
}

/**
 * Everything that decides what a caller may see, in a fixed order: the session a cached answer belongs
 * to. Two callers share an entry only if they are the same principal with the same scopes and linked
 * accounts, so an answer can never reach anyone it was not computed for.
 */
export function sessionOf(caller: Caller): string | null {
  if (caller.kind !== 'user') return null;
  const { principal } = caller;
  const fields = Object.keys(principal).sort() as (keyof typeof principal)[];
  return JSON.stringify(fields.map((field) => [field, field === 'scopes' ? [...principal.scopes].sort() : principal[field]]));
}

/**
 * Whole answers of queries, per caller, for `ttlSeconds` (RESPONSE_CACHE_TTL_SECONDS): a repeated query
 * is answered without a subgraph or provider call. Only authenticated callers' complete answers are kept:
 * never one with errors (a refusal, a failed provider) or one that a subgraph served from stale entries.
 * A mutation, or a verified provider webhook (see `purgingWebhooks`), forgets every entry: the data may
 * have changed, and nothing records which answers it reached. An answer being computed while entries are
 * forgotten is not kept (the generation check), so it cannot bring back what the purge removed.
 */
export function createResponseCache({ cacheStore, ttlSeconds, logger }: { cacheStore: CacheStore; ttlSeconds: number; logger: Logger }): ResponseCache {
  const keyv = cacheStore.namespace('responses');
  // Library boundary: KeyvAdapter's keyv typings differ from keyv's own in types only (stack notes, pitfall 11).
  const cache = new KeyvAdapter<string>(keyv as unknown as ConstructorParameters<typeof KeyvAdapter>[0]);
  let generation = 0;
  const startedIn = new WeakMap<GatewayContext, number>();
  const purge = async () => {
    generation++;
    // A purge that fails (Redis down) leaves entries to expire by their TTL; the answer is still sent.
    await keyv.clear().catch((err: unknown) => logger.error({ err }, 'could not purge the response cache; entries expire by their TTL'));
  };
  const isUser = ({ contextValue }: GraphQLRequestContext<GatewayContext>) => contextValue.caller.kind === 'user';
  const policy: ApolloServerPlugin<GatewayContext> = {
    async requestDidStart({ contextValue }) {
      startedIn.set(contextValue, generation);
      return {
        async willSendResponse({ operation, contextValue, overallCachePolicy }) {
          if (operation?.operation === 'mutation') return purge();
          // The cache control plugin is off (it wraps every resolver), so the policy is ours to set: private
          // to the session, for the configured time. Apollo's plugin then writes only error-free answers.
          if (operation?.operation === 'query' && contextValue.caller.kind === 'user') overallCachePolicy.replace({ maxAge: ttlSeconds, scope: 'PRIVATE' });
        },
      };
    },
  };
  return {
    plugins: [
      policy,
      responseCachePlugin<GatewayContext>({
        cache,
        sessionId: async ({ contextValue }) => sessionOf(contextValue.caller),
        shouldReadFromCache: async (request) => isUser(request),
        shouldWriteToCache: async (request) =>
          isUser(request) && (request.contextValue.stale?.length ?? 0) === 0 && startedIn.get(request.contextValue) === generation,
      }),
    ],
    purge,
  };
}

/**
 * The webhook routes, each followed by a purge of the response cache once a delivery was accepted: at
 * once, and again when the subgraph has finished processing it (its own cache evictions), so that no answer
 * computed from the entries it evicts survives.
 */
export function purgingWebhooks(routes: readonly WebhookRoute[], purge: () => Promise<void>): WebhookRoute[] {
  return routes.map((route) => ({
    ...route,
    async handle(request) {
      const response = await route.handle(request);
      if (response.status < 300 && response.body['duplicate'] !== true) {
        await purge();
        if (hasDrain(route)) void route.drain().then(purge);
      }
      return response;
    },
  }));
}

const hasDrain = (route: WebhookRoute): route is WebhookRoute & { drain(): Promise<void> } =>
  typeof (route as { drain?: unknown }).drain === 'function';

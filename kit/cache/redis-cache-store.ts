import { setMaxListeners } from 'node:events';
import { circuitBreaker, ConsecutiveBreaker, handleAll, timeout, TimeoutStrategy, wrap } from 'cockatiel';
import { Keyv } from 'keyv';
import KeyvRedis, { createClient } from '@keyv/redis';
import type { CacheStore } from './cache-store.ts';
import type { Logger } from '../logger.ts';
import { assertTokenRequest, decisionFromReply, fullRefillMs, TAKE_TOKENS_SCRIPT } from '../resilience/token-bucket.ts';

export interface RedisCacheStoreOptions {
  url: string;
  /** Prepended to every namespace so that several deployments can share one Redis. */
  keyPrefix?: string;
  logger: Logger;
  connectTimeoutMs?: number;
  /** How long one command may wait for its answer before it fails (the caller's fallback applies). */
  commandTimeoutMs?: number;
}

/** Commands that time out in a row before the store is taken as hung, and how long until one is tried again. */
const HUNG_AFTER_TIMEOUTS = 3;
const RETRY_HUNG_AFTER_MS = 1_000;

/** The client's commands the Keyv adapter sends (`multi` chains are bounded at `exec`). */
const KEYV_COMMANDS = new Set<PropertyKey>(['get', 'set', 'mGet', 'del', 'unlink', 'exists', 'scan']);

/**
 * A cache shared by every replica through one Redis connection per process.
 * Connects before resolving, so a wrong REDIS_URL fails start-up instead of the first request.
 */
export async function createRedisCacheStore({
  url,
  keyPrefix = 'fgw',
  logger,
  connectTimeoutMs = 5000,
  commandTimeoutMs = 500,
}: RedisCacheStoreOptions): Promise<CacheStore> {
  const client = createClient({
    url,
    // While Redis is unreachable, commands fail at once instead of queueing until it is back: every request
    // path that uses the store has a fallback (caches miss, rate limiting fails open or closed, a webhook
    // claim answers 503 so the provider retries), none may hang for the length of an outage.
    disableOfflineQueue: true,
    socket: {
      connectTimeout: connectTimeoutMs,
      // Give up at start-up rather than retry forever; once connected, reconnect with capped backoff.
      reconnectStrategy: (retries: number) => (connected ? Math.min(2 ** retries * 100, 2000) : false),
    },
  });
  let connected = false;
  client.on('error', (err: unknown) => logger.warn({ err }, 'redis connection error'));
  try {
    await client.connect();
    connected = true;
  } catch (cause) {
    if (client.isOpen) client.destroy();
    throw new Error(`REDIS_URL: cannot connect to Redis (${(cause as Error).message})`, { cause });
  }
  // node-redis bounds a command only until it is written: against a Redis that accepts and never answers,
  // every command would wait for ever. So each one has a deadline of ours, and a breaker shared by all of
  // them fails the next ones at once after a few deadlines in a row, until a trial command answers.
  const hung = circuitBreaker(handleAll, { halfOpenAfter: RETRY_HUNG_AFTER_MS, breaker: new ConsecutiveBreaker(HUNG_AFTER_TIMEOUTS) });
  const guard = wrap(hung, timeout(commandTimeoutMs, TimeoutStrategy.Aggressive));
  // Every command's signal derives from this one (cockatiel's default is one signal for the whole process,
  // which warns from the eleventh command in flight); each removes its listener when done.
  const commands = new AbortController().signal;
  setMaxListeners(0, commands);
  const command: Command = (fn) => guard.execute(fn, commands);
  const namespaces = new Map<string, Keyv>();
  return {
    kind: 'redis',
    namespace(namespace) {
      let keyv = namespaces.get(namespace);
      if (!keyv) {
        // The adapter prefixes keys itself; Keyv's own prefix would double it.
        const store = new KeyvRedis(guardedClient(client, command), { namespace: `${keyPrefix}:${namespace}` });
        keyv = new Keyv({ store, namespace: `${keyPrefix}:${namespace}`, useKeyPrefix: false });
        keyv.on('error', (err: unknown) => logger.warn({ err, namespace }, 'cache error'));
        namespaces.set(namespace, keyv);
      }
      return keyv;
    },
    async claim(namespace, key, ttlMs) {
      return (await command(() => client.set(`${keyPrefix}:${namespace}:claim:${key}`, '1', { NX: true, PX: ttlMs }))) === 'OK';
    },
    async releaseClaim(namespace, key) {
      await command(() => client.del(`${keyPrefix}:${namespace}:claim:${key}`));
    },
    async takeTokens(namespace, key, limit, cost = 1) {
      // Checked here, not in Lua, so that a bad limit is the caller's RangeError rather than a script error.
      assertTokenRequest(limit, cost);
      const reply = await command(() =>
        client.eval(TAKE_TOKENS_SCRIPT, {
          keys: [`${keyPrefix}:${namespace}:bucket:${key}`],
          arguments: [String(limit.capacity), String(limit.refillPerSecond), String(cost), String(fullRefillMs(limit))],
        }),
      );
      return decisionFromReply(reply);
    },
    async ping() {
      await command(() => client.ping());
    },
    async close() {
      namespaces.clear();
      if (client.isOpen) await client.close();
    },
  };
}

type Method = (...args: unknown[]) => unknown;

/**
 * The client as the Keyv adapter sees it: every command it sends runs under `command`. A failure there is
 * one the adapter already handles as a Redis error (an `error` event and a miss), never a thrown request.
 */
/** Runs one Redis command under the store's timeout and breaker. */
type Command = <T>(fn: () => PromiseLike<T> | T) => Promise<T>;

function guardedClient<C extends object>(client: C, command: Command): C {
  const guarded = (method: Method, self: object): Method => (...args) => command(() => Reflect.apply(method, self, args));
  // A MULTI chain: commands are queued locally (each returns the chain), `exec` is what waits for Redis.
  const guardedChain = (chain: object): object =>
    new Proxy(chain, {
      get(target, key) {
        const value: unknown = Reflect.get(target, key, target);
        if (typeof value !== 'function') return value;
        if (key === 'exec') return guarded(value as Method, target);
        return (...args: unknown[]) => {
          const result = Reflect.apply(value as Method, target, args);
          return result === target ? guardedChain(target) : result;
        };
      },
    });
  return new Proxy(client, {
    get(target, key) {
      const value: unknown = Reflect.get(target, key, target);
      if (typeof value !== 'function') return value;
      if (KEYV_COMMANDS.has(key)) return guarded(value as Method, target);
      if (key === 'multi') return (...args: unknown[]) => guardedChain(Reflect.apply(value as Method, target, args) as object);
      return (value as Method).bind(target);
    },
  });
}

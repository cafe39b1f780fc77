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
  /** How long one rate-limit, claim or ping command may wait before it fails (the caller's fallback applies). */
  commandTimeoutMs?: number;
}

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
  // Commands with an answer on a request's path also get a deadline, for a Redis that accepts and never answers.
  const bounded = client.withCommandOptions({ timeout: commandTimeoutMs });
  const namespaces = new Map<string, Keyv>();
  return {
    kind: 'redis',
    namespace(namespace) {
      let keyv = namespaces.get(namespace);
      if (!keyv) {
        // The adapter prefixes keys itself; Keyv's own prefix would double it.
        const store = new KeyvRedis(client, { namespace: `${keyPrefix}:${namespace}` });
        keyv = new Keyv({ store, namespace: `${keyPrefix}:${namespace}`, useKeyPrefix: false });
        keyv.on('error', (err: unknown) => logger.warn({ err, namespace }, 'cache error'));
        namespaces.set(namespace, keyv);
      }
      return keyv;
    },
    async claim(namespace, key, ttlMs) {
      return (await bounded.set(`${keyPrefix}:${namespace}:claim:${key}`, '1', { NX: true, PX: ttlMs })) === 'OK';
    },
    async takeTokens(namespace, key, limit, cost = 1) {
      // Checked here, not in Lua, so that a bad limit is the caller's RangeError rather than a script error.
      assertTokenRequest(limit, cost);
      const reply = await bounded.eval(TAKE_TOKENS_SCRIPT, {
        keys: [`${keyPrefix}:${namespace}:bucket:${key}`],
        arguments: [String(limit.capacity), String(limit.refillPerSecond), String(cost), String(fullRefillMs(limit))],
      });
      return decisionFromReply(reply);
    },
    async ping() {
      await bounded.ping();
    },
    async close() {
      namespaces.clear();
      if (client.isOpen) await client.close();
    },
  };
}

import { createClient } from '@keyv/redis';
import type { DomainEvent, EventBus, EventHandler } from './event-bus.ts';
import type { Logger } from '../logger.ts';

export interface RedisEventBusOptions {
  url: string;
  /** Prepended to every channel (`<keyPrefix>:events:<topic>`) so that several deployments can share one Redis. */
  keyPrefix?: string;
  logger: Logger;
  /** Called with what a handler threw; the other handlers still run. Defaults to logging it. */
  onHandlerError?: (error: unknown) => void;
  connectTimeoutMs?: number;
  /** How long close() waits for pending commands before dropping the connections. */
  closeTimeoutMs?: number;
}

type RedisClient = ReturnType<typeof createClient>;

/**
 * The event bus shared by every replica through Redis pub/sub: an event published on any replica reaches the
 * handlers of every replica, the publishing one included, exactly once per handler and per publish, and the
 * events of one publisher arrive in the order they were published.
 *
 * Redis pub/sub keeps nothing: events published while a replica's subscriber connection is down are lost for
 * that replica (it reconnects and resubscribes by itself). Handlers run after `publish()` resolved, in the
 * subscriber connection's message callback, synchronously and in registration order.
 *
 * Opens two connections (publishing, subscribing) and connects both before resolving, so that a wrong REDIS_URL
 * fails start-up instead of the first webhook.
 */
export async function createRedisEventBus({
  url,
  keyPrefix = 'fgw',
  logger,
  onHandlerError,
  connectTimeoutMs = 5000,
  closeTimeoutMs = 2000,
}: RedisEventBusOptions): Promise<EventBus> {
  const channelPrefix = `${keyPrefix}:events:`;
  const channelOf = (topic: string) => `${channelPrefix}${topic}`;
  // Named so that CLIENT LIST shows which connections are the bus's; a name may not contain spaces.
  const connectionName = (role: string) => `${channelPrefix}${role}`.replace(/[^\w:.@/-]/g, '_');

  let connected = false;
  const publisher: RedisClient = createClient({
    url,
    name: connectionName('publisher'),
    socket: {
      connectTimeout: connectTimeoutMs,
      // Give up at start-up rather than retry forever; once connected, reconnect with capped backoff.
      reconnectStrategy: (retries: number) => (connected ? Math.min(2 ** retries * 100, 2000) : false),
    },
  });
  // A connection in subscriber mode can run no other command: pub/sub needs a connection of its own.
  const subscriber: RedisClient = publisher.duplicate({ name: connectionName('subscriber') });
  publisher.on('error', (err: unknown) => logger.warn({ err }, 'redis connection error (event bus publisher)'));
  subscriber.on('error', (err: unknown) => logger.warn({ err }, 'redis connection error (event bus subscriber)'));
  try {
    await publisher.connect();
    await subscriber.connect();
    connected = true;
  } catch (cause) {
    for (const client of [publisher, subscriber]) if (client.isOpen) client.destroy();
    throw new Error(`REDIS_URL: cannot connect to Redis (${(cause as Error).message})`, { cause });
  }

  const reportHandlerError = onHandlerError ?? ((err: unknown) => logger.error({ err }, 'event handler failed'));
  /** Local handlers by topic; a topic is here exactly while it has handlers, and then its channel is subscribed. */
  const topics = new Map<string, Set<EventHandler>>();
  let closed = false;

  /** The one listener of every channel: parses, checks and hands the event to this replica's handlers. */
  const dispatch = (message: string, channel: string) => {
    const handlers = topics.get(channel.slice(channelPrefix.length));
    if (!handlers) return; // unsubscribed locally, UNSUBSCRIBE not yet answered
    let event: unknown;
    try {
      event = JSON.parse(message);
    } catch {
      event = undefined;
    }
    if (!isDomainEvent(event)) {
      logger.warn({ channel, bytes: message.length }, 'malformed event dropped');
      return;
    }
    for (const handler of [...handlers]) {
      try {
        handler(event);
      } catch (error) {
        try {
          reportHandlerError(error);
        } catch (err) {
          // Never let it escape into the Redis client, which would treat it as a protocol error.
          logger.error({ err }, 'onHandlerError failed');
        }
      }
    }
  };

  // A publish issued after subscribe() on this bus must find the channel subscribed, but SUBSCRIBE travels on the
  // other connection: publishes wait (in order) while SUBSCRIBEs of this bus are unanswered.
  let subscribing: Promise<unknown> | undefined;
  const waitingPublishes: (() => void)[] = [];
  const releasePublishes = () => {
    for (const send of waitingPublishes.splice(0)) send();
  };
  const track = (command: Promise<unknown>) => {
    const all: Promise<unknown> = Promise.allSettled([subscribing, command]).then(() => {
      if (subscribing !== all) return; // more SUBSCRIBEs were issued meanwhile: the latest one releases
      subscribing = undefined;
      releasePublishes();
    });
    subscribing = all;
  };

  // SUBSCRIBE/UNSUBSCRIBE commands that failed with the connection; redone once it is back.
  const toReconcile = new Set<string>();
  const reconcile = (topic: string) => {
    if (closed) return;
    const channel = channelOf(topic);
    if (topics.has(topic)) {
      const command = subscriber.subscribe(channel, dispatch);
      track(command);
      command.catch((err: unknown) => {
        toReconcile.add(topic);
        logger.warn({ err, channel }, 'redis SUBSCRIBE failed; retried when the connection is back');
      });
    } else {
      subscriber.unsubscribe(channel, dispatch).catch((err: unknown) => {
        toReconcile.add(topic);
        logger.warn({ err, channel }, 'redis UNSUBSCRIBE failed; retried when the connection is back');
      });
    }
  };
  // Registered after connect(): every 'ready' from now on is a reconnection (node-redis resubscribed by itself).
  subscriber.on('ready', () => {
    logger.warn('event bus subscriber reconnected; events published while it was disconnected were missed');
    const topicsToReconcile = [...toReconcile];
    toReconcile.clear();
    topicsToReconcile.forEach(reconcile);
  });

  let closing: Promise<void> | undefined;
  return {
    async publish(topic, event) {
      if (closed) throw new Error('event bus is closed');
      if (!isDomainEvent(event)) throw new TypeError(`not a DomainEvent (topic "${topic}")`);
      const message = JSON.stringify(event);
      const send = () => publisher.publish(channelOf(topic), message);
      if (subscribing === undefined && waitingPublishes.length === 0) {
        await send();
        return;
      }
      await new Promise<void>((resolve, reject) => {
        waitingPublishes.push(() => {
          send().then(() => resolve(), reject);
        });
      });
    },
    subscribe(topic, handler) {
      if (closed) throw new Error('event bus is closed');
      let handlers = topics.get(topic);
      if (!handlers) {
        handlers = new Set<EventHandler>();
        topics.set(topic, handlers);
        reconcile(topic);
      }
      handlers.add(handler);
      const subscribed = handlers;
      return () => {
        subscribed.delete(handler);
        // Only if this set is still the topic's: a second call after the topic was resubscribed changes nothing.
        if (subscribed.size === 0 && topics.get(topic) === subscribed) {
          topics.delete(topic);
          reconcile(topic);
        }
      };
    },
    close() {
      closing ??= (async () => {
        closed = true;
        topics.clear();
        toReconcile.clear();
        // Accepted publishes still go out; closing a connection ends its subscriptions on the server.
        releasePublishes();
        await Promise.all([shutdown(subscriber, closeTimeoutMs), shutdown(publisher, closeTimeoutMs)]);
      })();
      return closing;
    },
  };
}

/** Closes after pending commands, or drops the connection if Redis cannot answer them (in time). */
async function shutdown(client: RedisClient, timeoutMs: number): Promise<void> {
  if (!client.isOpen) return;
  if (!client.isReady) {
    client.destroy();
    return;
  }
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(true), timeoutMs);
  });
  const gaveUp = await Promise.race([client.close().then(() => false), timedOut]);
  clearTimeout(timer);
  if (gaveUp && client.isOpen) client.destroy();
}

/** The minimal shape check for events read from Redis: any replica (or anyone with access) can publish there. */
export function isDomainEvent(value: unknown): value is DomainEvent {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const { id, provider, type, occurredAt, keys } = value as Record<string, unknown>;
  if (typeof id !== 'string' || typeof provider !== 'string' || typeof type !== 'string' || typeof occurredAt !== 'string') return false;
  if (typeof keys !== 'object' || keys === null || Array.isArray(keys)) return false;
  return Object.values(keys).every((key) => typeof key === 'string');
}

import { randomUUID } from 'node:crypto';
import { createClient } from '@keyv/redis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createEventBus } from '../../kit/events/create-event-bus.ts';
import type { DomainEvent, EventBus } from '../../kit/events/event-bus.ts';
import { createLogger, type Logger } from '../../kit/logger.ts';
import { createRedisEventBus, type RedisEventBusOptions } from '../../kit/events/redis-event-bus.ts';
import { REDIS_URL, redisAvailable } from '../support/redis.ts';

const hasRedis = await redisAvailable();
const silent = createLogger({ level: 'silent', name: 'test' });
// A prefix of its own, so parallel runs sharing this Redis never see each other's events.
const keyPrefix = `fgw-test-${randomUUID()}`;
const channelOf = (topic: string, prefix = keyPrefix) => `${prefix}:events:${topic}`;

function domainEvent(id: string, provider = 'test', keys: Record<string, string> = { customerId: 'cus_1' }): DomainEvent {
  return { id, provider, type: 'payment.succeeded', occurredAt: '2026-01-02T03:04:05.000Z', keys };
}

const openSockets = () => process.getActiveResourcesInfo().filter((resource) => resource === 'TCPSocketWrap').length;

/** A logger whose lines the test can read. */
function capturingLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({ level: 'debug', name: 'test', destination: { write: (line: string) => void lines.push(JSON.parse(line)) } });
  return { logger, lines };
}

describe.skipIf(!hasRedis)('Redis event bus', () => {
  let raw: ReturnType<typeof createClient>;
  const buses: EventBus[] = [];

  async function openBus(options: Partial<RedisEventBusOptions> = {}): Promise<EventBus> {
    const bus = await createRedisEventBus({ url: REDIS_URL, keyPrefix, logger: silent, ...options });
    buses.push(bus);
    return bus;
  }

  /** Handlers on `topic` that record what they receive. */
  function record(bus: EventBus, topic: string): DomainEvent[] {
    const received: DomainEvent[] = [];
    bus.subscribe(topic, (event) => received.push(event));
    return received;
  }

  const numSub = async (channel: string) => (await raw.pubSubNumSub(channel))[channel] ?? 0;
  const waitForSubscribers = (channel: string, count: number) =>
    vi.waitFor(async () => expect(await numSub(channel)).toBe(count), { timeout: 5000, interval: 10 });

  /**
   * Publishes a marker on `topic` and waits until every log got it, then removes it. Redis delivers to each
   * subscriber connection in the order it executed the PUBLISHes, so whatever was published (and resolved)
   * before has been delivered too, duplicates included: what the logs hold then is final.
   */
  async function flush(publisher: EventBus, topic: string, ...logs: DomainEvent[][]): Promise<void> {
    const id = `flush-${randomUUID()}`;
    await publisher.publish(topic, domainEvent(id, 'flush'));
    await vi.waitFor(() => expect(logs.every((log) => log.some((event) => event.id === id))).toBe(true), { timeout: 5000, interval: 5 });
    for (const log of logs) log.splice(log.findIndex((event) => event.id === id), 1);
  }

  /** What drops the subscriber connection of the bus with this key prefix, as a network failure would. */
  async function subscriberConnectionKiller(prefix: string): Promise<() => Promise<void>> {
    const clients = String(await raw.sendCommand(['CLIENT', 'LIST', 'TYPE', 'pubsub'])).split('\n');
    const ids = clients.filter((line) => line.includes(` name=${prefix}:events:subscriber `)).map((line) => /^id=(\d+) /.exec(line)![1]!);
    expect(ids).toHaveLength(1);
    return async () => void (await raw.sendCommand(['CLIENT', 'KILL', 'ID', ids[0]!]));
  }

  beforeAll(async () => {
    raw = createClient({ url: REDIS_URL });
    raw.on('error', () => {});
    await raw.connect();
  });
  afterEach(async () => {
    await Promise.all(buses.splice(0).map((bus) => bus.close()));
  });
  afterAll(async () => {
    if (raw?.isOpen) await raw.close();
  });

  it('delivers an event published on one replica to a handler on every replica, once each', async () => {
    const [a, b] = [await openBus(), await openBus()];
    const onA = record(a, 'payments');
    const onB = record(b, 'payments');
    await waitForSubscribers(channelOf('payments'), 2);

    const event = domainEvent('evt_1', 'stripe', { customerId: 'cus_1', paymentIntentId: 'pi_1' });
    await a.publish('payments', event);
    await flush(a, 'payments', onA, onB);

    expect(onA).toEqual([event]);
    expect(onB).toEqual([event]);
  });

  it('delivers 1000 concurrent events per publisher exactly once, in publish order per publisher', async () => {
    const [a, b] = [await openBus(), await openBus()];
    const onA = record(a, 'bulk');
    const onB = record(b, 'bulk');
    await waitForSubscribers(channelOf('bulk'), 2);

    const ids = (who: string) => Array.from({ length: 1000 }, (_, i) => `${who}-${i}`);
    const publishes: Promise<void>[] = [];
    for (let i = 0; i < 1000; i++) {
      publishes.push(a.publish('bulk', domainEvent(ids('a')[i]!, 'a')));
      publishes.push(b.publish('bulk', domainEvent(ids('b')[i]!, 'b')));
    }
    await Promise.all(publishes);
    await flush(a, 'bulk', onA, onB);

    for (const log of [onA, onB]) {
      expect(log).toHaveLength(2000);
      expect(log.filter((e) => e.provider === 'a').map((e) => e.id)).toEqual(ids('a'));
      expect(log.filter((e) => e.provider === 'b').map((e) => e.id)).toEqual(ids('b'));
    }
  });

  it('delivers what the same bus publishes right after subscribe(), before SUBSCRIBE was answered', async () => {
    const a = await openBus();
    // Many SUBSCRIBEs ahead of the one that matters, so that the publishing connection could overtake it.
    for (let i = 0; i < 5000; i++) a.subscribe(`busy-${i}`, () => {});
    const received = record(a, 'fresh');
    // Not awaited one by one: the first publish is issued while SUBSCRIBE is still in flight.
    await Promise.all(Array.from({ length: 50 }, (_, i) => a.publish('fresh', domainEvent(`fresh-${i}`))));
    await flush(a, 'fresh', received);
    expect(received.map((e) => e.id)).toEqual(Array.from({ length: 50 }, (_, i) => `fresh-${i}`));
  });

  it('keeps topics apart', async () => {
    const [a, b] = [await openBus(), await openBus()];
    const paymentsOnA = record(a, 'payments');
    const filesOnA = record(a, 'files');
    const paymentsOnB = record(b, 'payments');
    const filesOnB = record(b, 'files');
    await waitForSubscribers(channelOf('payments'), 2);
    await waitForSubscribers(channelOf('files'), 2);

    await a.publish('files', domainEvent('file_1', 's3'));
    await flush(a, 'payments', paymentsOnA, paymentsOnB);
    await flush(a, 'files', filesOnA, filesOnB);

    expect(paymentsOnA).toEqual([]);
    expect(paymentsOnB).toEqual([]);
    expect(filesOnA.map((e) => e.id)).toEqual(['file_1']);
    expect(filesOnB.map((e) => e.id)).toEqual(['file_1']);
  });

  it('stops delivery on unsubscribe, and unsubscribes the channel when no handler remains', async () => {
    const [a, b] = [await openBus(), await openBus()];
    const first: DomainEvent[] = [];
    const second: DomainEvent[] = [];
    const unsubscribeFirst = a.subscribe('payments', (event) => first.push(event));
    const unsubscribeSecond = a.subscribe('payments', (event) => second.push(event));
    const control = record(a, 'control');
    await waitForSubscribers(channelOf('payments'), 1);

    unsubscribeFirst();
    unsubscribeFirst(); // a second call changes nothing
    await b.publish('payments', domainEvent('evt_after_first_left'));
    await flush(b, 'control', control);
    expect(first).toEqual([]);
    expect(second.map((e) => e.id)).toEqual(['evt_after_first_left']);
    expect(await numSub(channelOf('payments'))).toBe(1);

    unsubscribeSecond();
    await waitForSubscribers(channelOf('payments'), 0);
    const channels = await raw.pubSubChannels(`${keyPrefix}:events:*`);
    expect(channels).toContain(channelOf('control'));
    expect(channels).not.toContain(channelOf('payments'));
    await b.publish('payments', domainEvent('evt_after_all_left'));
    await flush(b, 'control', control);
    expect(first).toEqual([]);
    expect(second.map((e) => e.id)).toEqual(['evt_after_first_left']);

    // Subscribing again after the channel was dropped (and right after: no waiting) works.
    unsubscribeFirst();
    const again = record(a, 'payments');
    await a.publish('payments', domainEvent('evt_resubscribed'));
    await flush(a, 'payments', again);
    expect(again.map((e) => e.id)).toEqual(['evt_resubscribed']);
  });

  it('runs handlers in registration order, and a throwing handler does not stop the others', async () => {
    const onHandlerError = vi.fn();
    const [a, b] = [await openBus({ onHandlerError }), await openBus()];
    const calls: string[] = [];
    const failure = new Error('handler failed');
    a.subscribe('payments', () => calls.push('first'));
    a.subscribe('payments', () => {
      calls.push('throwing');
      throw failure;
    });
    a.subscribe('payments', () => calls.push('last'));
    const control = record(a, 'payments');
    await waitForSubscribers(channelOf('payments'), 1);

    await b.publish('payments', domainEvent('evt_1'));
    await b.publish('payments', domainEvent('evt_2'));
    await flush(b, 'payments', control);

    // Two events and the flush marker, each through the three handlers in order.
    expect(calls).toEqual(Array.from({ length: 3 }, () => ['first', 'throwing', 'last']).flat());
    expect(control.map((e) => e.id)).toEqual(['evt_1', 'evt_2']);
    expect(onHandlerError.mock.calls.map(([error]) => error)).toEqual([failure, failure, failure]); // the flush marker too
  });

  it('logs what a handler threw when no onHandlerError is given', async () => {
    const { logger, lines } = capturingLogger();
    const a = await openBus({ logger });
    a.subscribe('payments', () => {
      throw new Error('handler failed');
    });
    const control = record(a, 'payments');
    await a.publish('payments', domainEvent('evt_1'));
    await flush(a, 'payments', control);
    expect(control.map((e) => e.id)).toEqual(['evt_1']);
    expect(lines.filter((line) => line['msg'] === 'event handler failed').map((line) => (line['err'] as { message: string }).message)).toEqual([
      'handler failed',
      'handler failed',
    ]);
  });

  it('drops and logs malformed messages without breaking later deliveries', async () => {
    const { logger, lines } = capturingLogger();
    const a = await openBus({ logger });
    const received = record(a, 'payments');
    await waitForSubscribers(channelOf('payments'), 1);

    const valid = domainEvent('evt_valid');
    const malformed = [
      'not json',
      '',
      'null',
      '[]',
      '"evt_1"',
      JSON.stringify({ ...valid, id: 1 }),
      JSON.stringify({ ...valid, occurredAt: undefined }),
      JSON.stringify({ ...valid, keys: null }),
      JSON.stringify({ ...valid, keys: ['cus_1'] }),
      JSON.stringify({ ...valid, keys: { customerId: 42 } }),
    ];
    for (const message of malformed) await raw.publish(channelOf('payments'), message);
    await raw.publish(channelOf('payments'), JSON.stringify(valid));
    await a.publish('payments', domainEvent('evt_after'));
    await flush(a, 'payments', received);

    expect(received).toEqual([valid, domainEvent('evt_after')]);
    const dropped = lines.filter((line) => line['msg'] === 'malformed event dropped');
    expect(dropped).toHaveLength(malformed.length);
    expect(dropped[0]).toMatchObject({ level: 40, channel: channelOf('payments') });
  });

  it('refuses to publish what is not a DomainEvent', async () => {
    const a = await openBus();
    await expect(a.publish('payments', { ...domainEvent('evt_1'), keys: { customerId: 1 } } as unknown as DomainEvent)).rejects.toThrow(TypeError);
  });

  it('keeps deployments with different key prefixes apart', async () => {
    const otherPrefix = `fgw-test-${randomUUID()}`;
    const [a, other] = [await openBus(), await openBus({ keyPrefix: otherPrefix })];
    const onA = record(a, 'payments');
    const onOther = record(other, 'payments');
    await waitForSubscribers(channelOf('payments'), 1);
    await waitForSubscribers(channelOf('payments', otherPrefix), 1);

    await a.publish('payments', domainEvent('evt_a'));
    await other.publish('payments', domainEvent('evt_other'));
    await flush(a, 'payments', onA);
    await flush(other, 'payments', onOther);

    expect(onA.map((e) => e.id)).toEqual(['evt_a']);
    expect(onOther.map((e) => e.id)).toEqual(['evt_other']);
  });

  it('resubscribes after its subscriber connection was dropped', async () => {
    const prefix = `fgw-test-${randomUUID()}`;
    const { logger, lines } = capturingLogger();
    const a = await openBus({ keyPrefix: prefix, logger });
    const received = record(a, 'payments');
    await waitForSubscribers(channelOf('payments', prefix), 1);

    await (await subscriberConnectionKiller(prefix))();
    await waitForSubscribers(channelOf('payments', prefix), 1);

    await a.publish('payments', domainEvent('evt_after_reconnect'));
    await flush(a, 'payments', received);
    expect(received.map((e) => e.id)).toEqual(['evt_after_reconnect']);
    expect(lines.some((line) => String(line['msg']).includes('subscriber reconnected'))).toBe(true);
  });

  it('redoes a SUBSCRIBE that was lost with the connection once it is back', async () => {
    const prefix = `fgw-test-${randomUUID()}`;
    const { logger, lines } = capturingLogger();
    const a = await openBus({ keyPrefix: prefix, logger });
    const before = record(a, 'before');
    await waitForSubscribers(channelOf('before', prefix), 1);

    // Thousands of SUBSCRIBEs written at once, and the connection killed while Redis is still working through
    // them: the unanswered ones fail with the connection, and node-redis does not redo them by itself.
    const kill = await subscriberConnectionKiller(prefix);
    const after = Array.from({ length: 5000 }, (_, i) => record(a, `after-${i}`));
    await kill();
    await waitForSubscribers(channelOf('before', prefix), 1);
    await vi.waitFor(async () => expect(await raw.pubSubChannels(channelOf('after-*', prefix))).toHaveLength(5000), { timeout: 5000, interval: 20 });

    await a.publish('after-4999', domainEvent('evt_after'));
    await flush(a, 'before', before);
    expect(after[4999]!.map((e) => e.id)).toEqual(['evt_after']);
    expect(before).toEqual([]);
    expect(lines.some((line) => String(line['msg']).startsWith('redis SUBSCRIBE failed'))).toBe(true);
  });

  it('closes idempotently, ending its subscriptions and leaving no connection behind', async () => {
    const prefix = `fgw-test-${randomUUID()}`;
    // Only the raw client's connection is open once the previous tests' buses are gone.
    await vi.waitFor(() => expect(openSockets()).toBe(1));

    const bus = await createRedisEventBus({ url: REDIS_URL, keyPrefix: prefix, logger: silent });
    const received: DomainEvent[] = [];
    const unsubscribe = bus.subscribe('payments', (event) => received.push(event));
    await waitForSubscribers(channelOf('payments', prefix), 1);
    expect(openSockets()).toBe(3);

    await Promise.all([bus.close(), bus.close()]);
    await bus.close();
    unsubscribe(); // harmless after close

    await waitForSubscribers(channelOf('payments', prefix), 0);
    await vi.waitFor(async () => expect(String(await raw.sendCommand(['CLIENT', 'LIST']))).not.toContain(`name=${prefix}:`));
    await vi.waitFor(() => expect(openSockets()).toBe(1));
    await expect(bus.publish('payments', domainEvent('evt_late'))).rejects.toThrow(/closed/);
    expect(() => bus.subscribe('payments', () => {})).toThrow(/closed/);
    expect(received).toEqual([]);
  });

  it('fails start-up with an error naming REDIS_URL when Redis is unreachable', async () => {
    const before = openSockets();
    await expect(createRedisEventBus({ url: 'redis://127.0.0.1:1', logger: silent, connectTimeoutMs: 1000 })).rejects.toThrow(/REDIS_URL/);
    await vi.waitFor(() => expect(openSockets()).toBe(before));
  });

  describe('createEventBus', () => {
    it('uses Redis when a URL is given: events cross buses', async () => {
      const [a, b] = await Promise.all([1, 2].map(() => createEventBus({ redisUrl: REDIS_URL, keyPrefix, logger: silent })));
      buses.push(a!, b!);
      const onB = record(b!, 'created');
      await waitForSubscribers(channelOf('created'), 1);
      await a!.publish('created', domainEvent('evt_1'));
      await flush(a!, 'created', onB);
      expect(onB.map((e) => e.id)).toEqual(['evt_1']);
    });
  });
});

describe('createEventBus without a Redis URL', () => {
  it('delivers within the process, and reports what a handler threw', async () => {
    const onHandlerError = vi.fn();
    const bus = await createEventBus({ redisUrl: undefined, logger: silent, onHandlerError });
    const received: DomainEvent[] = [];
    bus.subscribe('payments', () => {
      throw new Error('handler failed');
    });
    bus.subscribe('payments', (event) => received.push(event));
    await bus.publish('payments', domainEvent('evt_1'));
    expect(received.map((e) => e.id)).toEqual(['evt_1']);
    expect(onHandlerError).toHaveBeenCalledTimes(1);
    await bus.close();
  });
});

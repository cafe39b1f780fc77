import { createHash, randomBytes } from 'node:crypto';
import { sql, type Selectable } from 'kysely';
import type { DomainEvent } from '../../kit/events/event-bus.ts';
import { nextDelayMs, type RetrySchedule } from './schedule.ts';
import type { DeliveryStatus, EndpointSecret, StoredPrincipal, WebhookDb, WebhookTables } from './tables.ts';
import { wants } from './event-types.ts';
import { mayReceive } from './visibility.ts';

export type DeliveryRow = Selectable<WebhookTables['webhook_deliveries']>;
export type AttemptRow = Selectable<WebhookTables['webhook_attempts']>;

/** A delivery a worker holds the lease of, with what it needs to send it. */
export interface ClaimedDelivery {
  id: string;
  endpointId: string;
  messageId: string;
  /** Its number in the delivery's log: 1, 2, 3 … on through redeliveries and replays. */
  attempt: number;
  /** Its place in the current run of the retry schedule (1 again after a redelivery or replay). */
  scheduleAttempt: number;
  url: string;
  secrets: EndpointSecret[];
  payload: string;
}

export interface AttemptOutcome {
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  startedAt: Date;
}

export interface OutboxSettings {
  schedule: RetrySchedule;
  /** How long a claim is held: longer than an attempt can take, so a live worker never loses one. */
  leaseMs: number;
  maxConcurrencyPerEndpoint: number;
  /** Consecutive failures that open an endpoint's breaker, and for how long it stays open. */
  breakerThreshold: number;
  breakerOpenMs: number;
  /** An endpoint failing for this long without one success is disabled (Svix: 5 days). */
  disableAfterMs: number;
}

export type CompletionEffect = { kind: 'succeeded' } | { kind: 'retry' } | { kind: 'exhausted' } | { kind: 'disable'; reason: 'gone' | 'failing' };

/**
 * The same domain event always gets the same message id (`webhook-id`), whichever replica records it and
 * however often it is retried, redelivered or replayed: receivers de-duplicate on it.
 */
export function messageIdOf(event: Pick<DomainEvent, 'provider' | 'id'>): string {
  return `msg_${createHash('sha256').update(`${event.provider}:${event.id}`).digest('base64url').slice(0, 27)}`;
}

/** The Standard Webhooks payload: `type`, `timestamp`, `data` (the event's keys, its id and provider). */
export function payloadOf(event: DomainEvent): string {
  return JSON.stringify({ type: event.type, timestamp: event.occurredAt, data: { id: event.id, provider: event.provider, ...event.keys } });
}

/**
 * When a pending delivery can next be attempted: its time in the schedule, or, while its endpoint's breaker
 * is open, when the breaker lets a trial through (nothing is sent to the endpoint before). Null when nothing
 * is waiting: an attempt is being made, or the delivery is finished.
 */
export function nextAttemptAt(delivery: Pick<DeliveryRow, 'status' | 'next_attempt_at'>, breakerOpenUntil: Date | null): Date | null {
  if (delivery.status !== 'pending' || !delivery.next_attempt_at) return null;
  return breakerOpenUntil && breakerOpenUntil > delivery.next_attempt_at ? breakerOpenUntil : delivery.next_attempt_at;
}

const deliveryId = () => `dlv_${randomBytes(12).toString('hex')}`;
const ms = (n: number) => sql`(${n}::double precision * interval '1 millisecond')`;

interface EndpointTarget {
  id: string;
  event_types: string[];
  owner_principal: StoredPrincipal;
}

/**
 * The durable outbox in the database: messages (one per domain event), deliveries (one per message and
 * endpoint: the unit that is retried) and attempts (the log). Workers on any replica claim due deliveries
 * with `FOR UPDATE SKIP LOCKED`, so no delivery is attempted by two of them at once.
 */
export function createOutbox(db: WebhookDb, settings: OutboxSettings) {
  return {
    /**
     * Records events and a delivery to every enabled endpoint that asked for their type and whose owner may
     * see them. Safe to run on every replica for the same events (unique message and delivery).
     */
    async enqueue(events: readonly DomainEvent[], endpoints: readonly EndpointTarget[]): Promise<number> {
      if (events.length === 0) return 0;
      const messages = events.map((event) => ({ id: messageIdOf(event), event_type: event.type, payload: payloadOf(event), event: JSON.stringify(event), occurred_at: event.occurredAt }));
      const deliveries = events.flatMap((event) =>
        endpoints
          .filter((e) => wants(e.event_types, event) && mayReceive(e.owner_principal, event))
          .map((e) => ({ id: deliveryId(), endpoint_id: e.id, message_id: messageIdOf(event), status: 'pending' as const, next_attempt_at: sql<Date>`now()` })),
      );
      return db.transaction().execute(async (tx) => {
        await tx.insertInto('webhook_messages').values(messages).onConflict((c) => c.column('id').doNothing()).execute();
        if (deliveries.length === 0) return 0;
        const inserted = await tx.insertInto('webhook_deliveries').values(deliveries).onConflict((c) => c.columns(['endpoint_id', 'message_id']).doNothing()).executeTakeFirst();
        return Number(inserted.numInsertedOrUpdatedRows ?? 0n);
      });
    },

    /** A message for one endpoint only (the test event), delivered whatever the endpoint asked for. */
    async enqueueDirect(endpointId: string, message: { id: string; type: string; payload: string }): Promise<DeliveryRow> {
      return db.transaction().execute(async (tx) => {
        await tx.insertInto('webhook_messages').values({ id: message.id, event_type: message.type, payload: message.payload, event: null, occurred_at: new Date() }).execute();
        return tx
          .insertInto('webhook_deliveries')
          .values({ id: deliveryId(), endpoint_id: endpointId, message_id: message.id, status: 'pending', next_attempt_at: sql<Date>`now()` })
          .returningAll()
          .executeTakeFirstOrThrow();
      });
    },

    /**
     * Takes up to `limit` due deliveries for this worker. Endpoint rows are locked (SKIP LOCKED) while their
     * deliveries are claimed, so the per-endpoint cap holds across replicas; delivery rows are locked too.
     * An endpoint whose breaker is open is skipped; when its open time is over, one trial delivery goes.
     * A lease that ran out (its worker died) makes the delivery due again.
     */
    async claim(worker: string, limit: number): Promise<ClaimedDelivery[]> {
      if (limit <= 0) return [];
      return db.transaction().execute(async (tx) => {
        const endpoints = await sql<{ id: string; inflight: number; half_open: boolean }>`
          select e.id,
                 (select count(*)::int from webhook_deliveries f
                   where f.endpoint_id = e.id and f.status = 'delivering' and f.locked_until > now()) as inflight,
                 e.consecutive_failures >= ${settings.breakerThreshold} as half_open
            from webhook_endpoints e
           where e.status = 'enabled'
             and (e.breaker_open_until is null or e.breaker_open_until <= now())
             and exists (select 1 from webhook_deliveries d
                          where d.endpoint_id = e.id
                            and ((d.status = 'pending' and d.next_attempt_at <= now())
                              or (d.status = 'delivering' and d.locked_until <= now())))
           order by random()
           limit 100
           for update of e skip locked`.execute(tx);
        const claimed: string[] = [];
        let budget = limit;
        for (const endpoint of endpoints.rows) {
          const room = Math.min(budget, (endpoint.half_open ? 1 : settings.maxConcurrencyPerEndpoint) - endpoint.inflight);
          if (room <= 0) continue;
          const rows = await sql<{ id: string }>`
            update webhook_deliveries
               set status = 'delivering', locked_by = ${worker}, locked_until = now() + ${ms(settings.leaseMs)},
                   attempt_count = attempt_count + 1, updated_at = now()
             where id in (select id from webhook_deliveries
                           where endpoint_id = ${endpoint.id}
                             and ((status = 'pending' and next_attempt_at <= now())
                               or (status = 'delivering' and locked_until <= now()))
                           order by next_attempt_at
                           limit ${room}
                           for update skip locked)
            returning id`.execute(tx);
          claimed.push(...rows.rows.map((r) => r.id));
          budget -= rows.rows.length;
          if (budget <= 0) break;
        }
        if (claimed.length === 0) return [];
        const rows = await tx
          .selectFrom('webhook_deliveries as d')
          .innerJoin('webhook_endpoints as e', 'e.id', 'd.endpoint_id')
          .innerJoin('webhook_messages as m', 'm.id', 'd.message_id')
          .select(['d.id', 'd.endpoint_id', 'd.message_id', 'd.attempt_count', 'd.schedule_offset', 'e.url', 'e.secrets', 'm.payload'])
          .where('d.id', 'in', claimed)
          .orderBy('d.next_attempt_at')
          .execute();
        return rows.map((r) => ({
          id: r.id,
          endpointId: r.endpoint_id,
          messageId: r.message_id,
          attempt: r.attempt_count,
          scheduleAttempt: r.attempt_count - r.schedule_offset,
          url: r.url,
          secrets: r.secrets,
          payload: r.payload,
        }));
      });
    },

    /**
     * Records one attempt and what follows: done on 2xx; otherwise the next attempt on the schedule, or
     * failed when it is exhausted. Only the lease holder may complete (a worker whose lease ran out and was
     * taken over records nothing). The endpoint's failure count drives its breaker and disabling.
     */
    async complete(worker: string, delivery: ClaimedDelivery, outcome: AttemptOutcome): Promise<CompletionEffect | undefined> {
      const succeeded = outcome.statusCode !== null && outcome.statusCode >= 200 && outcome.statusCode < 300;
      const delay = succeeded ? undefined : nextDelayMs(settings.schedule, delivery.scheduleAttempt);
      const status: DeliveryStatus = succeeded ? 'succeeded' : delay === undefined ? 'failed' : 'pending';
      return db.transaction().execute(async (tx) => {
        const updated = await tx
          .updateTable('webhook_deliveries')
          .set({
            status,
            next_attempt_at: delay === undefined ? null : sql<Date>`now() + ${ms(delay)}`,
            locked_by: null,
            locked_until: null,
            last_status_code: outcome.statusCode,
            last_error: outcome.error,
            updated_at: sql<Date>`now()`,
          })
          .where('id', '=', delivery.id)
          .where('locked_by', '=', worker)
          .where('status', '=', 'delivering')
          .executeTakeFirst();
        if (updated.numUpdatedRows === 0n) return undefined;
        await tx
          .insertInto('webhook_attempts')
          .values({
            delivery_id: delivery.id,
            endpoint_id: delivery.endpointId,
            attempt: delivery.attempt,
            worker,
            started_at: outcome.startedAt,
            duration_ms: outcome.durationMs,
            status_code: outcome.statusCode,
            error: outcome.error,
            succeeded,
          })
          .execute();
        if (succeeded) {
          await tx
            .updateTable('webhook_endpoints')
            .set({ consecutive_failures: 0, breaker_open_until: null, failing_since: null })
            .where('id', '=', delivery.endpointId)
            .where((eb) => eb.or([eb('consecutive_failures', '>', 0), eb('failing_since', 'is not', null)]))
            .execute();
          return { kind: 'succeeded' };
        }
        const endpoint = await sql<{ failing_for_ms: number }>`
          update webhook_endpoints
             set consecutive_failures = consecutive_failures + 1,
                 failing_since = coalesce(failing_since, now()),
                 breaker_open_until = case when consecutive_failures + 1 >= ${settings.breakerThreshold}
                                           then now() + ${ms(settings.breakerOpenMs)} else breaker_open_until end
           where id = ${delivery.endpointId}
          returning (extract(epoch from now() - failing_since) * 1000)::double precision as failing_for_ms`.execute(tx);
        if (outcome.statusCode === 410) return { kind: 'disable', reason: 'gone' };
        if ((endpoint.rows[0]?.failing_for_ms ?? 0) >= settings.disableAfterMs) return { kind: 'disable', reason: 'failing' };
        return delay === undefined ? { kind: 'exhausted' } : { kind: 'retry' };
      });
    },

    /** Gives a lease back untried (the worker is stopping before it could send). */
    async release(worker: string, id: string): Promise<void> {
      await db
        .updateTable('webhook_deliveries')
        .set({ status: 'pending', locked_by: null, locked_until: null, attempt_count: sql<number>`attempt_count - 1` })
        .where('id', '=', id)
        .where('locked_by', '=', worker)
        .where('status', '=', 'delivering')
        .execute();
    },

    getDelivery: (id: string) => db.selectFrom('webhook_deliveries').selectAll().where('id', '=', id).executeTakeFirst(),

    /** Newest first, keyset-paged on (created_at, id); with the endpoint's breaker, which may hold them. */
    async listDeliveries(endpointId: string, { first, after, status }: { first: number; after?: { createdAt: Date; id: string } | undefined; status?: DeliveryStatus | undefined }) {
      let query = db
        .selectFrom('webhook_deliveries as d')
        .innerJoin('webhook_messages as m', 'm.id', 'd.message_id')
        .innerJoin('webhook_endpoints as e', 'e.id', 'd.endpoint_id')
        .selectAll('d')
        .select(['m.event_type', 'e.breaker_open_until'])
        .where('d.endpoint_id', '=', endpointId);
      if (status) query = query.where('d.status', '=', status);
      if (after) query = query.where((eb) => eb.or([eb('d.created_at', '<', after.createdAt), eb.and([eb('d.created_at', '=', after.createdAt), eb('d.id', '<', after.id)])]));
      const rows = await query.orderBy('d.created_at', 'desc').orderBy('d.id', 'desc').limit(first + 1).execute();
      return { rows: rows.slice(0, first), hasNextPage: rows.length > first };
    },

    attemptsOf: (deliveryIds: readonly string[]) =>
      deliveryIds.length === 0 ? Promise.resolve([]) : db.selectFrom('webhook_attempts').selectAll().where('delivery_id', 'in', deliveryIds).orderBy('attempt').orderBy('id').execute(),

    messageTypes: async (messageIds: readonly string[]) =>
      messageIds.length === 0 ? [] : db.selectFrom('webhook_messages').select(['id', 'event_type']).where('id', 'in', messageIds).execute(),

    /**
     * Due now, from the start of the schedule again (Stripe's and Svix's resend: more attempts of the same
     * delivery, numbered on from the last); a delivery being attempted is left as it is.
     */
    async redeliver(id: string): Promise<DeliveryRow | undefined> {
      return db
        .updateTable('webhook_deliveries')
        .set((eb) => ({ status: 'pending', next_attempt_at: sql<Date>`now()`, schedule_offset: eb.ref('attempt_count'), updated_at: sql<Date>`now()` }))
        .where('id', '=', id)
        .where('status', '!=', 'delivering')
        .returningAll()
        .executeTakeFirst();
    },

    /**
     * Every message since `since` this endpoint asks for and its owner may see, sent again (Svix's replay and
     * recover in one): new deliveries for those it never got, finished ones made due again. Returns how many.
     */
    async replay(endpoint: EndpointTarget, since: Date): Promise<number> {
      let count = 0;
      let cursor: { createdAt: Date; id: string } | undefined;
      for (;;) {
        let query = db.selectFrom('webhook_messages').select(['id', 'event', 'created_at']).where('created_at', '>=', since).where('event', 'is not', null);
        if (cursor) {
          const c = cursor;
          query = query.where((eb) => eb.or([eb('created_at', '>', c.createdAt), eb.and([eb('created_at', '=', c.createdAt), eb('id', '>', c.id)])]));
        }
        const page = await query.orderBy('created_at').orderBy('id').limit(500).execute();
        if (page.length === 0) return count;
        const last = page[page.length - 1]!;
        cursor = { createdAt: last.created_at, id: last.id };
        const wanted = page.filter((m) => {
          const event = m.event as DomainEvent;
          return wants(endpoint.event_types, event) && mayReceive(endpoint.owner_principal, event);
        });
        if (wanted.length === 0) continue;
        const result = await db
          .insertInto('webhook_deliveries')
          .values(wanted.map((m) => ({ id: deliveryId(), endpoint_id: endpoint.id, message_id: m.id, status: 'pending' as const, next_attempt_at: sql<Date>`now()` })))
          .onConflict((c) =>
            c
              .columns(['endpoint_id', 'message_id'])
              .doUpdateSet((eb) => ({ status: 'pending', next_attempt_at: sql<Date>`now()`, schedule_offset: eb.ref('webhook_deliveries.attempt_count'), updated_at: sql<Date>`now()` }))
              .where('webhook_deliveries.status', 'in', ['succeeded', 'failed']),
          )
          .executeTakeFirst();
        count += Number(result.numInsertedOrUpdatedRows ?? 0n);
      }
    },

    /**
     * Deletes up to `limit` messages recorded before `before` whose deliveries are all finished (succeeded or
     * failed), with those deliveries and their attempts (which cascade). A message still pending or being
     * delivered anywhere is kept however old it is. Messages another replica is pruning are skipped (SKIP
     * LOCKED), so replicas never wait on each other. Returns what was deleted.
     */
    async prune(before: Date, limit: number): Promise<{ messages: number; deliveries: number }> {
      return db.transaction().execute(async (tx) => {
        const doomed = await sql<{ id: string }>`
          select m.id from webhook_messages m
           where m.created_at < ${before}
             and not exists (select 1 from webhook_deliveries d
                              where d.message_id = m.id and d.status in ('pending', 'delivering'))
           order by m.created_at
           limit ${limit}
           for update skip locked`.execute(tx);
        const ids = doomed.rows.map((row) => row.id);
        if (ids.length === 0) return { messages: 0, deliveries: 0 };
        const deliveries = await tx.deleteFrom('webhook_deliveries').where('message_id', 'in', ids).executeTakeFirst();
        const messages = await tx.deleteFrom('webhook_messages').where('id', 'in', ids).executeTakeFirst();
        return { messages: Number(messages.numDeletedRows), deliveries: Number(deliveries.numDeletedRows) };
      });
    },

    /** Deliveries waiting (pending or in flight), and the age of the oldest pending one, for the metrics. */
    async backlog(): Promise<{ depth: number; oldestPendingSeconds: number }> {
      const row = await sql<{ depth: number; oldest: number | null }>`
        select count(*)::int as depth,
               extract(epoch from now() - min(created_at) filter (where status = 'pending'))::double precision as oldest
          from webhook_deliveries where status in ('pending', 'delivering')`.execute(db);
      return { depth: row.rows[0]?.depth ?? 0, oldestPendingSeconds: row.rows[0]?.oldest ?? 0 };
    },
  };
}

export type Outbox = ReturnType<typeof createOutbox>;

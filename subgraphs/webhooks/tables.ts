import { sql, type ColumnType, type Generated, type Kysely } from 'kysely';
import type { Migrations } from '../../kit/database/migrations.ts';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** A timestamp the database fills in (`now()`) unless given. */
type CreatedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string, string>;

/** One signing secret of an endpoint; during a rotation the previous one signs too until `expiresAt`. */
export interface EndpointSecret {
  secret: string;
  /** ISO time after which it no longer signs; null for the current secret. */
  expiresAt: string | null;
}

/** What an endpoint's owner may see, as it was when they last created or updated it (see visibility.ts). */
export interface StoredPrincipal {
  subject: string;
  scopes: string[];
  customerId?: string | undefined;
  githubLogin?: string | undefined;
  twitterUsername?: string | undefined;
  storagePrefix?: string | undefined;
}

export type EndpointStatus = 'enabled' | 'disabled';
export type DeliveryStatus = 'pending' | 'delivering' | 'succeeded' | 'failed';

// Type aliases, not interfaces: withTables wants an index-signature-compatible shape.
export type WebhookTables = {
  webhook_endpoints: {
    id: string;
    owner_subject: string;
    owner_principal: Json<StoredPrincipal>;
    url: string;
    description: string | null;
    event_types: Json<string[]>;
    status: EndpointStatus;
    disabled_reason: string | null;
    secrets: Json<EndpointSecret[]>;
    /** Consecutive failed attempts: the breaker opens at a threshold. */
    consecutive_failures: Generated<number>;
    breaker_open_until: Timestamp | null;
    /** The first failure since the last success; the endpoint is disabled when it is old enough. */
    failing_since: Timestamp | null;
    created_at: CreatedTimestamp;
    updated_at: CreatedTimestamp;
  };
  webhook_messages: {
    id: string;
    event_type: string;
    /** The exact body sent and signed, so that every attempt and replay carries the same bytes. */
    payload: string;
    /** The domain event (for visibility checks on replay); null for test events. */
    event: Json<unknown> | null;
    occurred_at: Timestamp;
    created_at: CreatedTimestamp;
  };
  webhook_deliveries: {
    id: string;
    endpoint_id: string;
    message_id: string;
    status: DeliveryStatus;
    /** Attempts made (claimed), over every redelivery and replay: the number of the latest in the log. */
    attempt_count: Generated<number>;
    /**
     * Attempts made before the current run of the retry schedule (a redelivery or replay starts a new run):
     * the place in the schedule is `attempt_count - schedule_offset`, while the log numbers on.
     */
    schedule_offset: Generated<number>;
    next_attempt_at: Timestamp | null;
    /** While `delivering`: the worker holding it and until when (a crashed worker's lease runs out). */
    locked_by: string | null;
    locked_until: Timestamp | null;
    last_status_code: number | null;
    last_error: string | null;
    created_at: CreatedTimestamp;
    updated_at: CreatedTimestamp;
  };
  webhook_attempts: {
    id: Generated<number>;
    delivery_id: string;
    endpoint_id: string;
    attempt: number;
    worker: string;
    started_at: Timestamp;
    duration_ms: number;
    status_code: number | null;
    error: string | null;
    succeeded: boolean;
  };
};

export type WebhookDb = Kysely<WebhookTables>;

export const webhookMigrations: Migrations = {
  'webhooks-0001-outbox': {
    up: async (db: Kysely<unknown>) => {
      await db.schema
        .createTable('webhook_endpoints')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('owner_subject', 'text', (c) => c.notNull())
        .addColumn('owner_principal', 'jsonb', (c) => c.notNull())
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('description', 'text')
        .addColumn('event_types', 'jsonb', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('disabled_reason', 'text')
        .addColumn('secrets', 'jsonb', (c) => c.notNull())
        .addColumn('consecutive_failures', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('breaker_open_until', 'timestamptz')
        .addColumn('failing_since', 'timestamptz')
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      await db.schema.createIndex('webhook_endpoints_owner').on('webhook_endpoints').columns(['owner_subject', 'created_at']).execute();
      await db.schema
        .createTable('webhook_messages')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('event_type', 'text', (c) => c.notNull())
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('event', 'jsonb')
        .addColumn('occurred_at', 'timestamptz', (c) => c.notNull())
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      await db.schema.createIndex('webhook_messages_created').on('webhook_messages').column('created_at').execute();
      await db.schema
        .createTable('webhook_deliveries')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('endpoint_id', 'text', (c) => c.notNull().references('webhook_endpoints.id').onDelete('cascade'))
        .addColumn('message_id', 'text', (c) => c.notNull().references('webhook_messages.id'))
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempt_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('next_attempt_at', 'timestamptz')
        .addColumn('locked_by', 'text')
        .addColumn('locked_until', 'timestamptz')
        .addColumn('last_status_code', 'integer')
        .addColumn('last_error', 'text')
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        // Every replica feeds the outbox from the event bus: one delivery per message and endpoint, whoever inserts first.
        .addUniqueConstraint('webhook_deliveries_once', ['endpoint_id', 'message_id'])
        .execute();
      // The claim query's path: due work, oldest first.
      await db.schema.createIndex('webhook_deliveries_due').on('webhook_deliveries').columns(['status', 'next_attempt_at']).execute();
      await db.schema.createIndex('webhook_deliveries_endpoint').on('webhook_deliveries').columns(['endpoint_id', 'status', 'created_at']).execute();
      await db.schema
        .createTable('webhook_attempts')
        .addColumn('id', 'serial', (c) => c.primaryKey())
        .addColumn('delivery_id', 'text', (c) => c.notNull().references('webhook_deliveries.id').onDelete('cascade'))
        .addColumn('endpoint_id', 'text', (c) => c.notNull())
        .addColumn('attempt', 'integer', (c) => c.notNull())
        .addColumn('worker', 'text', (c) => c.notNull())
        .addColumn('started_at', 'timestamptz', (c) => c.notNull())
        .addColumn('duration_ms', 'integer', (c) => c.notNull())
        .addColumn('status_code', 'integer')
        .addColumn('error', 'text')
        .addColumn('succeeded', 'boolean', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('webhook_attempts_delivery').on('webhook_attempts').columns(['delivery_id', 'attempt']).execute();
    },
  },
  // Retention (outbox.prune): a message's deliveries by message, without scanning every delivery.
  'webhooks-0002-deliveries-by-message': {
    up: async (db: Kysely<unknown>) => {
      await db.schema.createIndex('webhook_deliveries_message').on('webhook_deliveries').columns(['message_id', 'status']).execute();
    },
  },
  // A redelivery or replay restarts the retry schedule but no longer the attempt count (which numbers the log).
  'webhooks-0003-schedule-offset': {
    up: async (db: Kysely<unknown>) => {
      await db.schema.alterTable('webhook_deliveries').addColumn('schedule_offset', 'integer', (c) => c.notNull().defaultTo(0)).execute();
      // Before, a redelivery set attempt_count to 0, so its log numbered from 1 again: such logs (a number not
      // above the one before it) are renumbered in the order the attempts were recorded.
      await sql`
        update webhook_attempts a set attempt = r.n
          from (select id, row_number() over (partition by delivery_id order by id)::int as n from webhook_attempts) r
         where r.id = a.id and a.attempt <> r.n
           and a.delivery_id in (select delivery_id
                                   from (select delivery_id, attempt <= lag(attempt) over (partition by delivery_id order by id) as restarted
                                           from webhook_attempts) l
                                  where restarted)`.execute(db);
      // Their count goes on from the log (an attempt in flight is not logged yet), at the same place in the schedule.
      await sql`
        update webhook_deliveries d
           set attempt_count = l.made, schedule_offset = l.made - d.attempt_count
          from (select a.delivery_id, max(a.attempt) + case when dd.status = 'delivering' then 1 else 0 end as made
                  from webhook_attempts a join webhook_deliveries dd on dd.id = a.delivery_id
                 group by a.delivery_id, dd.status) l
         where l.delivery_id = d.id and l.made > d.attempt_count`.execute(db);
    },
  },
};

import { randomBytes } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { Principal } from '../../kit/access/principal.ts';
import { newSecret } from './signer.ts';
import type { EndpointSecret, StoredPrincipal, WebhookDb, WebhookTables } from './tables.ts';

export type EndpointRow = Selectable<WebhookTables['webhook_endpoints']>;

export interface EndpointFields {
  url: string;
  eventTypes: readonly string[];
  description?: string | null | undefined;
}

export function storedPrincipal(principal: Principal): StoredPrincipal {
  const { subject, scopes, customerId, githubLogin, twitterUsername, storagePrefix } = principal;
  return { subject, scopes: [...scopes], customerId, githubLogin, twitterUsername, storagePrefix };
}

/** Endpoints and their secrets: create, read, update, enable/disable, rotate, delete. */
export function createEndpointStore(db: WebhookDb) {
  return {
    /** The new endpoint and its secret, which is shown this once. */
    async create(owner: Principal, fields: EndpointFields): Promise<{ endpoint: EndpointRow; secret: string }> {
      const secret = newSecret();
      const endpoint = await db
        .insertInto('webhook_endpoints')
        .values({
          id: `ep_${randomBytes(12).toString('hex')}`,
          owner_subject: owner.subject,
          owner_principal: JSON.stringify(storedPrincipal(owner)),
          url: fields.url,
          description: fields.description ?? null,
          event_types: JSON.stringify([...new Set(fields.eventTypes)]),
          status: 'enabled',
          disabled_reason: null,
          secrets: JSON.stringify([{ secret, expiresAt: null } satisfies EndpointSecret]),
          breaker_open_until: null,
          failing_since: null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return { endpoint, secret };
    },

    get: (id: string) => db.selectFrom('webhook_endpoints').selectAll().where('id', '=', id).executeTakeFirst(),

    listOwned: (subject: string) => db.selectFrom('webhook_endpoints').selectAll().where('owner_subject', '=', subject).orderBy('created_at').orderBy('id').execute(),

    listEnabled: () => db.selectFrom('webhook_endpoints').select(['id', 'event_types', 'owner_principal']).where('status', '=', 'enabled').execute(),

    /** A change by the owner also refreshes what they may see (their scopes and linked identities now). */
    async update(id: string, fields: Partial<EndpointFields>, owner: Principal | undefined): Promise<EndpointRow | undefined> {
      return db
        .updateTable('webhook_endpoints')
        .set({
          ...(fields.url !== undefined ? { url: fields.url } : {}),
          ...(fields.eventTypes !== undefined ? { event_types: JSON.stringify([...new Set(fields.eventTypes)]) } : {}),
          ...(fields.description !== undefined ? { description: fields.description } : {}),
          ...(owner ? { owner_principal: JSON.stringify(storedPrincipal(owner)) } : {}),
          updated_at: new Date(),
        })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
    },

    /** Enabled again with a clean slate: the breaker closed, the failure clock stopped; its pending deliveries resume. */
    enable: (id: string) =>
      db
        .updateTable('webhook_endpoints')
        .set({ status: 'enabled', disabled_reason: null, consecutive_failures: 0, breaker_open_until: null, failing_since: null, updated_at: new Date() })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst(),

    /** Returns the endpoint only when this call disabled it, so that one replica alone announces it. */
    disable: (id: string, reason: string) =>
      db
        .updateTable('webhook_endpoints')
        .set({ status: 'disabled', disabled_reason: reason, updated_at: new Date() })
        .where('id', '=', id)
        .where('status', '=', 'enabled')
        .returningAll()
        .executeTakeFirst(),

    /**
     * A new current secret; the previous one keeps signing (both signatures sent) for `overlapSeconds`, so
     * receivers can switch without losing a delivery (Stripe and Svix do the same).
     */
    async rotate(id: string, overlapSeconds: number): Promise<{ endpoint: EndpointRow; secret: string } | undefined> {
      return db.transaction().execute(async (tx) => {
        const row = await tx.selectFrom('webhook_endpoints').select('secrets').where('id', '=', id).forUpdate().executeTakeFirst();
        if (!row) return undefined;
        const now = Date.now();
        const expiresAt = new Date(now + overlapSeconds * 1000).toISOString();
        const kept = row.secrets.filter((s) => s.expiresAt === null || Date.parse(s.expiresAt) > now).map((s) => (s.expiresAt === null ? { ...s, expiresAt } : s));
        const secret = newSecret();
        const secrets = overlapSeconds > 0 ? [{ secret, expiresAt: null }, ...kept] : [{ secret, expiresAt: null }];
        const endpoint = await tx
          .updateTable('webhook_endpoints')
          .set({ secrets: JSON.stringify(secrets), updated_at: new Date(now) })
          .where('id', '=', id)
          .returningAll()
          .executeTakeFirstOrThrow();
        return { endpoint, secret };
      });
    },

    async delete(id: string): Promise<boolean> {
      const result = await db.deleteFrom('webhook_endpoints').where('id', '=', id).executeTakeFirst();
      return result.numDeletedRows > 0n;
    },
  };
}

export type EndpointStore = ReturnType<typeof createEndpointStore>;

import DataLoader from 'dataloader';
import type { AttemptRow, Outbox } from './outbox.ts';

export interface WebhooksLoaders {
  /** A page of deliveries' attempts in one query. */
  attempts: DataLoader<string, AttemptRow[]>;
  eventType: DataLoader<string, string>;
}

export function createWebhooksLoaders(outbox: Outbox): WebhooksLoaders {
  return {
    attempts: new DataLoader(async (ids) => {
      const rows = await outbox.attemptsOf(ids);
      return ids.map((id) => rows.filter((r) => r.delivery_id === id));
    }),
    eventType: new DataLoader(async (ids) => {
      const rows = await outbox.messageTypes(ids);
      const byId = new Map(rows.map((r) => [r.id, r.event_type]));
      return ids.map((id) => byId.get(id) ?? 'unknown');
    }),
  };
}

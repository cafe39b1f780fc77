import type { EndpointRow } from './endpoints.ts';
import type { DeliveryRow } from './outbox.ts';

export type WebhookEndpointModel = EndpointRow;
/** A delivery with its endpoint's breaker, which may hold it past its scheduled time (see nextAttemptAt). */
export type WebhookDeliveryModel = DeliveryRow & { event_type?: string | undefined; breaker_open_until: Date | null };
export interface WebhookEndpointWithSecretModel {
  endpoint: EndpointRow;
  secret: string;
}
export interface WebhookDeliveryConnectionModel {
  nodes: WebhookDeliveryModel[];
  hasNextPage: boolean;
  endCursor: string | null;
}

import type { EndpointRow } from './endpoints.ts';
import type { DeliveryRow } from './outbox.ts';

export type WebhookEndpointModel = EndpointRow;
export type WebhookDeliveryModel = DeliveryRow & { event_type?: string | undefined };
export interface WebhookEndpointWithSecretModel {
  endpoint: EndpointRow;
  secret: string;
}
export interface WebhookDeliveryConnectionModel {
  nodes: WebhookDeliveryModel[];
  hasNextPage: boolean;
  endCursor: string | null;
}

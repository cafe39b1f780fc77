import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createMemoryCacheStore } from '../../kit/cache/memory-cache-store.ts';
import { createMemoryEventBus } from '../../kit/events/memory-event-bus.ts';
import { createLogger } from '../../kit/logger.ts';
import { webhookRouter } from '../../kit/webhooks/webhook-route.ts';
import { STORAGE_TOPIC } from '../../subgraphs/s3/object-events.ts';
import { createS3Webhook, S3_WEBHOOK_PATH, type S3WebhookOptions } from '../../subgraphs/s3/webhooks.ts';
import { recordEvents } from '../support/event-recorder.ts';

/** An express app serving one S3 webhook on a free port, and everything it touched. */
export async function serveWebhook(options: Partial<S3WebhookOptions>) {
  const eventBus = createMemoryEventBus();
  const cacheStore = createMemoryCacheStore();
  const events = recordEvents(eventBus, STORAGE_TOPIC);
  const evicted: [string, string][] = [];
  /** Why each refused delivery was refused, as the pipeline logs it. */
  const rejections: string[] = [];
  const destination = {
    write(line: string) {
      const entry = JSON.parse(line) as { msg?: string; reason?: string };
      if (entry.msg === 'webhook rejected') rejections.push(entry.reason ?? '');
    },
  };
  const webhook = createS3Webhook({
    cacheStore,
    eventBus,
    logger: createLogger({ level: 'warn', name: 'test', destination }),
    evict: async (bucket, key) => {
      evicted.push([bucket, key]);
    },
    ...options,
  });
  const app = express();
  app.use(webhookRouter([webhook]));
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${S3_WEBHOOK_PATH}`;
  return {
    /** Where the webhook listens (POST /webhooks/s3). */
    url,
    webhook,
    events,
    evicted,
    rejections,
    /** POSTs like SNS: the JSON as text/plain; waits until whatever it started has been processed. */
    async post(body: unknown, headers: Record<string, string> = {}) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'text/plain; charset=UTF-8', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
      await webhook.drain();
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await webhook.drain();
      await Promise.all([eventBus.close(), cacheStore.close()]);
    },
  };
}

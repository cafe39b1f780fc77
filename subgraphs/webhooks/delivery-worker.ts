import { randomBytes } from 'node:crypto';
import type { Logger } from '../../kit/logger.ts';
import { wakeableSleep } from '../../kit/wakeable-sleep.ts';
import type { WebhooksSettings } from './config.ts';
import type { DeliveryResult, WebhookMetrics } from './metrics.ts';
import type { ClaimedDelivery, CompletionEffect, Outbox } from './outbox.ts';
import { sendMessage } from './sender.ts';
import { signMessage } from './signer.ts';

export interface DeliveryWorker {
  readonly id: string;
  /** Look for due deliveries now (a new event was recorded, a redelivery asked for). */
  wake(): void;
  /** Stops claiming, lets attempts in flight finish (each is bounded by the attempt timeout). */
  stop(): Promise<void>;
}

export interface DeliveryWorkerOptions {
  outbox: Outbox;
  settings: WebhooksSettings;
  logger: Logger;
  metrics: WebhookMetrics;
  /** An endpoint answered 410 or failed for too long: disable it and announce it. */
  onDisable(endpointId: string, reason: 'gone' | 'failing'): Promise<void>;
}

/**
 * Delivers from the outbox: claims due deliveries (up to `workerConcurrency` in flight), signs and sends each,
 * records the attempt. Polls every `pollIntervalMs`, and at once when woken. Any number of these may run,
 * in one process or many, on one database.
 */
export function startDeliveryWorker({ outbox, settings, logger, metrics, onDisable }: DeliveryWorkerOptions): DeliveryWorker {
  const id = `worker_${randomBytes(6).toString('hex')}`;
  const inFlight = new Set<Promise<void>>();
  let stopped = false;
  let woken = false;
  const poll = wakeableSleep();
  const wake = () => {
    woken = true;
    poll.wake();
  };
  // Woken while claiming: more is due already, so no wait at all.
  const sleep = (ms: number) => (woken || stopped ? Promise.resolve() : poll.sleep(ms));

  const attempt = async (delivery: ClaimedDelivery) => {
    const startedAt = new Date();
    const headers = signMessage(delivery.messageId, delivery.payload, delivery.secrets, startedAt);
    const result = await sendMessage(delivery.url, delivery.payload, headers, { timeoutMs: settings.attemptTimeoutMs, maxResponseBytes: settings.maxResponseBytes, allowPrivate: settings.allowPrivate });
    const effect = await outbox.complete(id, delivery, { ...result, startedAt });
    metrics.recordAttempt(resultLabel(result.statusCode, result.error), result.durationMs / 1000);
    if (effect?.kind === 'disable') await onDisable(delivery.endpointId, effect.reason);
    logAttempt(logger, delivery, result, effect);
  };

  const loop = async () => {
    while (!stopped) {
      woken = false;
      const room = settings.workerConcurrency - inFlight.size;
      let claimed: ClaimedDelivery[] = [];
      try {
        claimed = await outbox.claim(id, room);
      } catch (err) {
        logger.warn({ err }, 'webhooks: claiming deliveries failed; retrying');
      }
      for (const delivery of claimed) {
        if (stopped) {
          await outbox.release(id, delivery.id).catch(() => {});
          continue;
        }
        const running: Promise<void> = attempt(delivery)
          .catch((err: unknown) => logger.error({ err, deliveryId: delivery.id }, 'webhooks: attempt could not be recorded; its lease will expire and it will be retried'))
          .finally(() => {
            inFlight.delete(running);
            wake();
          });
        inFlight.add(running);
      }
      // A full claim means more may be due: claim again at once, unless the worker is at its cap.
      if (claimed.length > 0 && claimed.length === room) continue;
      await sleep(settings.pollIntervalMs);
    }
  };
  const running = settings.workerConcurrency > 0 ? loop() : Promise.resolve();

  return {
    id,
    wake,
    async stop() {
      stopped = true;
      poll.wake();
      await running;
      await Promise.all([...inFlight]);
    },
  };
}

function resultLabel(statusCode: number | null, error: string | null): DeliveryResult {
  if (statusCode !== null && statusCode >= 200 && statusCode < 300) return 'succeeded';
  if (statusCode === 410) return 'gone';
  if (error === 'timeout') return 'timeout';
  if (error === 'blocked_address') return 'blocked';
  return 'failed';
}

function logAttempt(logger: Logger, delivery: ClaimedDelivery, result: { statusCode: number | null; error: string | null; durationMs: number }, effect: CompletionEffect | undefined) {
  // Never the URL (it may carry a token in its path or query) nor the secrets: ids, status and timing only.
  const fields = { deliveryId: delivery.id, endpointId: delivery.endpointId, messageId: delivery.messageId, attempt: delivery.attempt, statusCode: result.statusCode, error: result.error, durationMs: result.durationMs, effect: effect?.kind };
  if (effect?.kind === 'succeeded') logger.debug(fields, 'webhook delivered');
  else logger.info(fields, 'webhook attempt failed');
}

/**
 * Stripe's delivery guarantees, made visible: events arrive out of order, some twice, and failed ones are
 * retried on Stripe's schedule (compressed in time). Off by default so that tests asserting an order stay
 * deterministic; `startStripeEmulator({ webhookChaos })` or EMULATOR_STRIPE_WEBHOOK_CHAOS turns it on.
 */
export interface WebhookChaos {
  /** Seed of the pseudo-random choices, so that a failing run can be replayed. Default 1. */
  seed: number;
  /** Share of events delivered a second time (same event id), 0–1. Default 0.3. */
  duplicateRate: number;
  /** Each delivery is held a random 0…this many ms, so later events overtake earlier ones. Default 50. */
  reorderWindowMs: number;
  /** Milliseconds that stand for one hour of Stripe's retry schedule. Default 100 (three days take 7.2 s). */
  msPerHour: number;
}

export const DEFAULT_WEBHOOK_CHAOS: WebhookChaos = { seed: 1, duplicateRate: 0.3, reorderWindowMs: 50, msPerHour: 100 };

/**
 * Stripe retries a failed delivery for up to three days with exponential backoff (docs: "Event
 * delivery behaviors"): the pauses below, in hours.
 */
const STRIPE_RETRY_SCHEDULE_HOURS: readonly number[] = [1 / 60, 5 / 60, 0.5, 2, 5, 10, 10, 10, 10, 5.4];

export function retryScheduleMs(chaos: WebhookChaos): number[] {
  return STRIPE_RETRY_SCHEDULE_HOURS.map((hours) => Math.max(1, Math.round(hours * chaos.msPerHour)));
}

export const WEBHOOK_CHAOS_ENV = 'EMULATOR_STRIPE_WEBHOOK_CHAOS';

/**
 * EMULATOR_STRIPE_WEBHOOK_CHAOS: unset, `0` or `false` is off; `1`/`true` is on with the defaults; a JSON
 * object overrides some of them (`{"seed":7,"duplicateRate":0.5}`). Anything else is an error, named.
 */
export function webhookChaosFromEnv(value: string | undefined): WebhookChaos | undefined {
  if (value === undefined || value === '' || value === '0' || value === 'false') return undefined;
  if (value === '1' || value === 'true') return { ...DEFAULT_WEBHOOK_CHAOS };
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new Error(`${WEBHOOK_CHAOS_ENV}: expected 1, true, or a JSON object such as {"seed":7,"duplicateRate":0.5}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error(`${WEBHOOK_CHAOS_ENV}: expected a JSON object`);
  const chaos = { ...DEFAULT_WEBHOOK_CHAOS };
  for (const [key, raw] of Object.entries(parsed)) {
    if (!(key in chaos) || typeof raw !== 'number' || !Number.isFinite(raw) || raw < 0) throw new Error(`${WEBHOOK_CHAOS_ENV}: ${key} must be one of seed, duplicateRate, reorderWindowMs, msPerHour, as a number ≥ 0`);
    chaos[key as keyof WebhookChaos] = raw;
  }
  if (chaos.duplicateRate > 1) throw new Error(`${WEBHOOK_CHAOS_ENV}: duplicateRate must be between 0 and 1`);
  return chaos;
}

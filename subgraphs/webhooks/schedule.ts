/**
 * When a failed delivery is tried again: after attempt n fails, wait RETRY_DELAYS_MS[n-1] (± jitter). Shaped
 * like Svix's and Stripe's schedules: quick retries for blips, then hours apart, the last one about three
 * days after the first attempt (sum: 71 h 38 min). Tests and the benchmark compress it with `scale`.
 */
export const RETRY_DELAYS_MS: readonly number[] = [
  5_000, 30_000, 2 * 60_000, 5 * 60_000, 30 * 60_000, 60 * 60_000, 2 * 3_600_000, 4 * 3_600_000, 8 * 3_600_000, 12 * 3_600_000, 12 * 3_600_000, 12 * 3_600_000,
  18 * 3_600_000,
];

export interface RetrySchedule {
  /** Delays after each failed attempt; its length + 1 is the number of attempts. */
  delaysMs: readonly number[];
  /** Share of each delay drawn at random, both ways (0.2: ±20 %), so that retries of one outage spread out. */
  jitter: number;
}

export const DEFAULT_SCHEDULE: RetrySchedule = { delaysMs: RETRY_DELAYS_MS, jitter: 0.2 };

export function scaledSchedule(scale: number, jitter = DEFAULT_SCHEDULE.jitter): RetrySchedule {
  return { delaysMs: RETRY_DELAYS_MS.map((ms) => Math.round(ms * scale)), jitter };
}

/** The delay before the next attempt after `attempts` failed ones, or undefined when there is none left. */
export function nextDelayMs(schedule: RetrySchedule, attempts: number, random: () => number = Math.random): number | undefined {
  const base = schedule.delaysMs[attempts - 1];
  if (base === undefined) return undefined;
  return Math.max(0, Math.round(base * (1 + schedule.jitter * (2 * random() - 1))));
}

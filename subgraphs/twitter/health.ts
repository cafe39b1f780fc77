import type { HealthReport } from '../../kit/health.ts';
import type { QuotaTracker } from '../../kit/resilience/quota.ts';

const WATCHED = ['GET /2/users/by', 'GET /2/users/:id/tweets', 'GET /2/tweets'];

/**
 * X has no free endpoint to probe, and frequent readiness checks would spend the scarcest quota (users
 * lookup: 300 per 15 minutes). Health is therefore what the last answers said: not ok while a window the
 * subgraph depends on is known to be spent.
 */
export function checkTwitterHealth(quota: QuotaTracker, now = Date.now()): HealthReport {
  const spent = WATCHED.filter((endpoint) => {
    const reading = quota.reading(endpoint);
    return reading !== undefined && reading.remaining <= 0 && reading.resetAt > now;
  });
  return spent.length > 0 ? { ok: false, detail: `rate limit spent: ${spent.join(', ')}` } : { ok: true };
}

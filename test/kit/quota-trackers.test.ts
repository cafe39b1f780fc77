import { describe, expect, it } from 'vitest';
import { createQuotaTrackers } from '../../kit/resilience/quota.ts';

const NOW = Date.parse('2026-03-02T09:00:00Z');
const spentUntilAnHourLater = { limit: 5000, remaining: 0, resetAt: NOW + 3_600_000 };

describe('createQuotaTrackers: one tracker per identity, bounded', () => {
  it('refuses only the identity whose window is spent', () => {
    const trackers = createQuotaTrackers({ provider: 'github', now: () => NOW });
    trackers.of('29876541').record('graphql', spentUntilAnHourLater);
    expect(() => trackers.of('29876541').assertAvailable('graphql')).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: 'RATE_LIMITED', retryAfter: 3600 }) }));
    expect(() => trackers.of('33750128').assertAvailable('graphql')).not.toThrow();
  });

  it('forgets the least recently used identity beyond its capacity, so memory stays bounded', () => {
    const trackers = createQuotaTrackers({ provider: 'github', now: () => NOW, capacity: 2 });
    trackers.of('a').record('graphql', spentUntilAnHourLater);
    trackers.of('b');
    trackers.of('a'); // used again: `b` is now the oldest
    trackers.of('c');
    expect(trackers.of('a').reading('graphql')).toEqual(spentUntilAnHourLater);
    trackers.of('d');
    trackers.of('e');
    // `a` was forgotten: a fresh tracker that learns again from the provider's next answer.
    expect(trackers.of('a').reading('graphql')).toBeUndefined();
  });
});

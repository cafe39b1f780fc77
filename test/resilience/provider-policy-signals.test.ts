import { describe, expect, it } from 'vitest';
import { createProviderPolicy, DEFAULT_RESILIENCE } from '../../kit/resilience/resilience.ts';

describe('provider policy', () => {
  it('runs many calls at once without Node warning of an abort-listener leak, and each call still gets its own signal', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      const policy = createProviderPolicy({ provider: 'test', settings: DEFAULT_RESILIENCE, classify: () => ({ kind: 'caller' }) });
      const signals = await Promise.all(
        Array.from({ length: 20 }, () => policy.execute(async (signal) => (await new Promise((resolve) => setTimeout(resolve, 10)), signal))),
      );
      expect(new Set(signals).size).toBe(20);
      expect(signals.every((signal) => !signal.aborted)).toBe(true);
      // Warnings are emitted on a later tick.
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.filter((warning) => warning.name === 'MaxListenersExceededWarning')).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });
});

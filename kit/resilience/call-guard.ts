import type { QuotaTracker } from './quota.ts';
import type { ProviderPolicy } from './resilience.ts';

/** Everything that stands between a resolver and one provider call, for SDKs that cannot take a fetch. */
export interface CallGuard {
  /** Fails fast when `resource`'s rate-limit window is spent, else runs `call` under the provider policy. */
  run<T>(resource: string, call: () => Promise<T>, options?: { idempotent?: boolean }): Promise<T>;
}

export function createCallGuard(quota: Pick<QuotaTracker, 'assertAvailable'>, policy: ProviderPolicy): CallGuard {
  return {
    run(resource, call, options) {
      quota.assertAvailable(resource);
      return policy.execute(() => call(), { ...options, operation: resource });
    },
  };
}

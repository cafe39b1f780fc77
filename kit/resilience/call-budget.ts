import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * One deadline shared by every attempt of one SDK call, its own retries included. An SDK's retry loop
 * hands its transport each attempt with nothing that says which call it belongs to, so the deadline
 * travels in the async context the call was started in (timers and promises carry it to the retries).
 */
export interface CallBudget {
  /** Runs `fn` with the whole budget from now, unless already inside a call (then it shares that one's). */
  within<T>(fn: () => T): T;
  /** Milliseconds left to the current call, or undefined outside any call. */
  remainingMs(): number | undefined;
}

export function createCallBudget(totalMs: number, now: () => number = Date.now): CallBudget {
  const deadlines = new AsyncLocalStorage<number>();
  return {
    within: (fn) => (deadlines.getStore() === undefined ? deadlines.run(now() + totalMs, fn) : fn()),
    remainingMs() {
      const deadline = deadlines.getStore();
      return deadline === undefined ? undefined : deadline - now();
    },
  };
}

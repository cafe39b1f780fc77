/**
 * Failures a test can arm for the next requests of one operation (e.g. `POST /v1/payment_intents`).
 * Each armed fault applies to that many requests, then disarms itself.
 */
export interface FaultControl {
  /**
   * The request is carried out in full (state changed, events emitted, idempotent response stored), then
   * its connection is destroyed without an answer: the "response lost" case the SDK retries with the
   * same Idempotency-Key.
   */
  failAfterCommit(operation: string, times?: number): void;
  /** Holds the request this long before carrying it out (an Idempotency-Key stays locked meanwhile). */
  delay(operation: string, ms: number, times?: number): void;
  /** Answers 429 `rate_limit` without carrying the request out. */
  rateLimit(operation: string, times?: number): void;
  /** Disarms every fault. */
  clear(): void;
  /** What is still armed, by fault and operation. */
  pending(): FaultSnapshot;
}

export interface FaultSnapshot {
  failAfterCommit: Record<string, number>;
  delay: Record<string, { ms: number; times: number }>;
  rateLimit: Record<string, number>;
}

/** The faults that apply to one incoming request (each consumed from its budget). */
export interface RequestFaults {
  failAfterCommit: boolean;
  delayMs: number;
  rateLimit: boolean;
}

export interface ArmedFaults extends FaultControl {
  take(operation: string): RequestFaults;
}

export function createFaults(): ArmedFaults {
  const failAfterCommit = new Map<string, number>();
  const rateLimit = new Map<string, number>();
  const delay = new Map<string, { ms: number; times: number }>();

  const consume = (budgets: Map<string, number>, operation: string): boolean => {
    const left = budgets.get(operation) ?? 0;
    if (left <= 0) return false;
    if (left === 1) budgets.delete(operation);
    else budgets.set(operation, left - 1);
    return true;
  };

  return {
    failAfterCommit(operation, times = 1) {
      failAfterCommit.set(operation, checkedTimes(times));
    },
    delay(operation, ms, times = 1) {
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`delay must be a non-negative number of ms, got ${ms}`);
      delay.set(operation, { ms, times: checkedTimes(times) });
    },
    rateLimit(operation, times = 1) {
      rateLimit.set(operation, checkedTimes(times));
    },
    clear() {
      failAfterCommit.clear();
      rateLimit.clear();
      delay.clear();
    },
    pending() {
      return {
        failAfterCommit: Object.fromEntries(failAfterCommit),
        delay: Object.fromEntries([...delay].map(([operation, armed]) => [operation, { ...armed }])),
        rateLimit: Object.fromEntries(rateLimit),
      };
    },
    take(operation) {
      const armedDelay = delay.get(operation);
      let delayMs = 0;
      if (armedDelay) {
        delayMs = armedDelay.ms;
        if (armedDelay.times <= 1) delay.delete(operation);
        else delay.set(operation, { ms: armedDelay.ms, times: armedDelay.times - 1 });
      }
      return {
        failAfterCommit: consume(failAfterCommit, operation),
        delayMs,
        rateLimit: consume(rateLimit, operation),
      };
    },
  };
}

function checkedTimes(times: number): number {
  if (!Number.isInteger(times) || times < 1) throw new RangeError(`times must be a positive integer, got ${times}`);
  return times;
}

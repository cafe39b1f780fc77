import { isPlainObject } from './clone.ts';

/** A response kept for replay: status and the exact body bytes Stripe sent the first time. */
export interface StoredResponse {
  readonly status: number;
  readonly body: string;
  readonly requestId: string;
}

export type IdempotencyDecision =
  /** First use of the key: carry the request out, then `complete` (store) or `release` (refused request). */
  | { kind: 'execute'; complete(response: StoredResponse): void; release(): void }
  | { kind: 'replay'; response: StoredResponse }
  /** Same key, another endpoint or other parameters. */
  | { kind: 'mismatch'; message: string }
  /** Same key, first request still being carried out. */
  | { kind: 'in_flight' };

interface Entry {
  readonly endpoint: string;
  readonly fingerprint: string;
  readonly expiresAt: number;
  response?: StoredResponse;
}

const TTL_MS = 24 * 60 * 60 * 1000;

/**
 * Idempotency-Key records, per API key, kept 24 hours (Stripe's window). Parameters are compared by
 * content, so the same parameters sent in another order are the same request.
 */
export class IdempotencyStore {
  private readonly clock: () => number;
  readonly #entries = new Map<string, Entry>();

  constructor(clock: () => number) {
    this.clock = clock;
  }

  begin(apiKey: string, idempotencyKey: string, endpoint: string, params: unknown): IdempotencyDecision {
    this.#sweep();
    const slot = `${apiKey}\u0000${idempotencyKey}`;
    const fingerprint = canonicalJson(params);
    const existing = this.#entries.get(slot);
    if (existing) {
      if (!existing.response) return { kind: 'in_flight' };
      if (existing.endpoint !== endpoint) {
        return {
          kind: 'mismatch',
          message: `Keys for idempotent requests can only be used for the same endpoint they were first used for ('${existing.endpoint}' vs '${endpoint}'). Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`,
        };
      }
      if (existing.fingerprint !== fingerprint) {
        return {
          kind: 'mismatch',
          message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`,
        };
      }
      return { kind: 'replay', response: existing.response };
    }

    const entry: Entry = { endpoint, fingerprint, expiresAt: this.clock() + TTL_MS };
    this.#entries.set(slot, entry);
    return {
      kind: 'execute',
      complete: (response) => {
        entry.response = response;
      },
      release: () => {
        if (this.#entries.get(slot) === entry) this.#entries.delete(slot);
      },
    };
  }

  #sweep(): void {
    const now = this.clock();
    for (const [slot, entry] of this.#entries) {
      if (entry.response && entry.expiresAt <= now) this.#entries.delete(slot);
    }
  }
}

/** JSON with object keys sorted, so parameter order does not matter. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    isPlainObject(inner) ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : inner,
  );
}

import { createHash } from 'node:crypto';

const ALPHANUMERIC = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Id body lengths Stripe uses (customer and subscription item ids are the short ones). */
const BODY_LENGTH: Readonly<Record<string, number>> = { cus: 14, si: 14, prod: 14, req: 14 };
const DEFAULT_BODY_LENGTH = 24;

/**
 * New object ids: `<prefix>_<alphanumerics>`, derived from a per-prefix counter through a hash, so they
 * look like Stripe's yet the n-th customer of every run gets the same id (reproducible tests and logs).
 * The namespace keeps them apart from the seed's literal ids.
 */
export class IdGenerator {
  private readonly namespace: string;
  readonly #counters = new Map<string, number>();

  constructor(namespace = 'emulator') {
    this.namespace = namespace;
  }

  next(prefix: string): string {
    const n = (this.#counters.get(prefix) ?? 0) + 1;
    this.#counters.set(prefix, n);
    return `${prefix}_${alphanumerics(`${this.namespace}:${prefix}:${n}`, BODY_LENGTH[prefix] ?? DEFAULT_BODY_LENGTH)}`;
  }

  requestId(): string {
    return this.next('req');
  }

  /** `pi_…_secret_…`: what Stripe.js needs to confirm a payment intent from a browser. */
  clientSecret(paymentIntentId: string): string {
    return `${paymentIntentId}_secret_${alphanumerics(`${this.namespace}:secret:${paymentIntentId}`, 25)}`;
  }
}

function alphanumerics(seed: string, length: number): string {
  let out = '';
  for (let round = 0; out.length < length; round++) {
    for (const byte of createHash('sha256').update(`${seed}#${round}`).digest()) {
      out += ALPHANUMERIC[byte % ALPHANUMERIC.length];
      if (out.length === length) break;
    }
  }
  return out;
}

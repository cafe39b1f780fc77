import { ErrorCode, gatewayError } from '../../../kit/errors.ts';
import type { MoneyModel } from '../models.ts';

export function money(amount: number, currency: string): MoneyModel {
  return { amount, currency };
}

export function metadataEntries(metadata: Record<string, string> | null | undefined) {
  return Object.entries(metadata ?? {}).map(([key, value]) => ({ key, value }));
}

export function metadataParam(entries: readonly { key: string; value: string }[] | null | undefined): Record<string, string> | undefined {
  return entries ? Object.fromEntries(entries.map(({ key, value }) => [key, value])) : undefined;
}

export function fromUnix(seconds: number | null | undefined): Date | null {
  return typeof seconds === 'number' ? new Date(seconds * 1000) : null;
}

export const notFound = (what: string) => gatewayError(ErrorCode.NOT_FOUND, `${what} not found`, { provider: 'stripe' });

/** The value, or NOT_FOUND: for ids a client names explicitly, an unknown id is an error, not a null. */
export function found<T>(value: T | null, what: string): T {
  if (value === null) throw notFound(what);
  return value;
}

import type { InlineErrorV2 } from 'twitter-api-v2';
import { notFound } from './problems.ts';

/**
 * The body of a lookup by several keys (`ids=`, `usernames=`): what was found in `data`, in the order
 * asked, and one partial error per miss. X omits `data` when nothing was found, `errors` when all was.
 */
export function lookupBody<T, R>(
  keys: readonly string[],
  find: (key: string) => T | undefined,
  miss: { resource: 'user' | 'tweet'; parameter: string },
  render: (found: T) => R,
): { data?: R[]; errors?: InlineErrorV2[] } {
  const data: R[] = [];
  const errors: InlineErrorV2[] = [];
  for (const key of keys) {
    const found = find(key);
    if (found === undefined) errors.push(notFound(miss.resource, miss.parameter, key));
    else data.push(render(found));
  }
  return { ...(data.length > 0 ? { data } : {}), ...(errors.length > 0 ? { errors } : {}) };
}

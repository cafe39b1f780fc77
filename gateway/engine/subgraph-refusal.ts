import type { SubgraphError } from './subgraph-request.ts';

/** What a subgraph answers to a query it cannot run as written (Apollo Server's codes for them). */
const REFUSAL_CODES: ReadonlySet<unknown> = new Set(['GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_PARSE_FAILED']);

/**
 * graphql-js's validation messages that mean the subgraph's schema is not the one the supergraph was
 * composed from: a field, argument, type, directive or enum value it lacks, a field whose type changed
 * shape. Any other refusal of an operation the gateway validated is about a value only the subgraph can
 * check: a custom scalar's literal (the supergraph passes custom scalars through), which is the client's.
 */
const MISMATCH: readonly RegExp[] = [
  /^Cannot query field /,
  /^Unknown (argument|type|directive|fragment) /,
  /is required, but it was not provided\.$/,
  /must (not )?have a selection/,
  /^Fragment (".*" )?cannot be spread here/,
  /does not exist in ".*" enum\./,
];

export type RefusalCause = 'mismatch' | 'input';

/** Why a subgraph refused the query planned for it, or `undefined` when the error is not a refusal. */
export function refusalCause(error: SubgraphError): RefusalCause | undefined {
  const code = error.extensions?.['code'];
  if (!REFUSAL_CODES.has(code)) return undefined;
  if (code === 'GRAPHQL_PARSE_FAILED') return 'mismatch';
  return MISMATCH.some((pattern) => pattern.test(error.message)) ? 'mismatch' : 'input';
}

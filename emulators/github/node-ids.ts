import { encodeIntArray } from './msgpack-ints.ts';

/** GitHub's prefixes for the new global node id format, by GraphQL type. */
const PREFIXES = {
  User: 'U',
  Organization: 'O',
  Repository: 'R',
  Issue: 'I',
  Language: 'LA',
  Topic: 'TO',
  RepositoryTopic: 'RT',
} as const;

export type IdentifiedType = keyof typeof PREFIXES;

/**
 * A node id in GitHub's current format: `<prefix>_<base64url(msgpack([0, ...databaseIds]))>`, e.g.
 * `U_kgDOAnU81w` for user 41237719. Issues carry their repository's id too, as on GitHub.
 */
export function nodeId(type: IdentifiedType, ...databaseIds: number[]): string {
  return `${PREFIXES[type]}_${encodeIntArray([0, ...databaseIds]).toString('base64url')}`;
}

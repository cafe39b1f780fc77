import type { DocumentNode } from 'graphql';
import type { AccessRule, AccessRules } from '../../kit/access/access.ts';
import { fieldSubgraphs } from '../engine/supergraph.ts';
import { mergeAccessRules } from './policy.ts';

/** A subgraph's own access rules, by the subgraph's name (a provider: its name is its subgraph's). */
export interface SubgraphRules {
  readonly name: string;
  readonly accessRules: AccessRules;
}

/**
 * Serving a supergraph that may not be ours: each subgraph's rules apply only to fields the supergraph
 * says that subgraph resolves, never to another subgraph's field that happens to share a name (a foreign
 * `Query.products` is not Stripe's, and must not become public because Stripe's is).
 */
export function rulesForOwnSubgraphs(supergraph: DocumentNode, sets: readonly SubgraphRules[]): AccessRules {
  const owners = fieldSubgraphs(supergraph);
  return mergeAccessRules(
    sets.map(({ name, accessRules }) => {
      const kept: Record<string, Record<string, AccessRule>> = {};
      for (const [type, fields] of Object.entries(accessRules)) {
        for (const [field, rule] of Object.entries(fields)) {
          if (owners.get(`${type}.${field}`)?.has(name)) (kept[type] ??= {})[field] = rule;
        }
      }
      return kept;
    }),
  );
}

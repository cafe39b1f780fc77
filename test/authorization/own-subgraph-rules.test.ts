import { readFileSync } from 'node:fs';
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { providers } from '../../app/providers.ts';
import { composeSupergraph } from '../../gateway/compose/compose-supergraph.ts';
import { rulesForOwnSubgraphs } from '../../gateway/authorize/own-subgraph-rules.ts';
import { fieldSubgraphs } from '../../gateway/engine/supergraph.ts';
import { accessRulesOf } from '../../gateway/options-from-config.ts';
import { adminOnly, publicAccess, type AccessRules } from '../../kit/access/access.ts';

const fed = (body: string) => `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@external", "@requires", "@shareable"])\n${body}`;

function supergraph(subgraphs: { name: string; sdl: string }[]) {
  const composed = composeSupergraph(subgraphs.map(({ name, sdl }) => ({ name, url: `http://${name}.internal/graphql`, typeDefs: parse(fed(sdl)) })));
  if (!composed.ok) throw new Error(composed.problems.join('\n'));
  return parse(composed.supergraphSdl);
}

/** Each rule by coordinate and name: comparable across trees. */
const byCoordinate = (rules: AccessRules) =>
  Object.fromEntries(Object.entries(rules).flatMap(([type, fields]) => Object.entries(fields).map(([field, rule]) => [`${type}.${field}`, rule.name])));

describe('our providers\' rules on a supergraph', () => {
  it('all apply to our own supergraph, where every ruled field is its provider\'s', () => {
    const ours = parse(readFileSync(new URL('../../schema/supergraph.graphql', import.meta.url), 'utf8'));
    const all = byCoordinate(accessRulesOf(providers));
    expect(Object.keys(all).length).toBeGreaterThan(20);
    expect(byCoordinate(rulesForOwnSubgraphs(ours, providers))).toEqual(all);
  });

  it('apply to a field only where the subgraph of that name resolves it, never by field name alone', () => {
    const document = supergraph([
      { name: 'shop', sdl: 'type Query { products: [String] open: Int }' },
      { name: 'stripe', sdl: 'type Query { customers: [String] }' },
    ]);
    const rules = rulesForOwnSubgraphs(document, [{ name: 'stripe', accessRules: { Query: { products: publicAccess, customers: adminOnly, open: publicAccess } } }]);
    expect(byCoordinate(rules)).toEqual({ 'Query.customers': 'admin' });
  });
});

describe('which subgraphs resolve a field', () => {
  it('follows @join__field, leaving out @external copies, and falls back to the type\'s subgraphs', () => {
    const owners = fieldSubgraphs(
      supergraph([
        { name: 'accounts', sdl: 'type User @key(fields: "id") { id: ID! name: String! @shareable } type Query { me: User }' },
        { name: 'reviews', sdl: 'type User @key(fields: "id") { id: ID! name: String! @shareable @external karma: Int @requires(fields: "name") } type Query { top: [User] }' },
        { name: 'profiles', sdl: 'type User @key(fields: "id") { id: ID! name: String! @shareable }' },
      ]),
    );
    const of = (coordinate: string) => [...(owners.get(coordinate) ?? [])].sort();
    expect(of('Query.me')).toEqual(['accounts']);
    expect(of('Query.top')).toEqual(['reviews']);
    expect(of('User.karma')).toEqual(['reviews']);
    expect(of('User.name')).toEqual(['accounts', 'profiles']);
    expect(of('User.id')).toEqual(['accounts', 'profiles', 'reviews']);
  });
});

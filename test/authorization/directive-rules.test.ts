import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { composeServices } from '@theguild/federation-composition';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../../gateway/server.ts';
import { startGatewayFor } from '../support/test-gateway.ts';
import { adminOnly } from '../../kit/access/access.ts';
import type { Resolvers } from '../differential/harness.ts';
import { errorCodes, postGraphQL } from '../support/graphql-client.ts';
import { authorization } from '../support/tokens.ts';

const LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key", "@authenticated", "@requiresScopes", "@policy"])';

/** Someone else's graph, guarded only by the federation authorization directives. */
const ACCOUNTS = /* GraphQL */ `
  ${LINK}
  scalar Money @requiresScopes(scopes: [["money:read"]])
  enum Tier @authenticated { FREE PRO }
  type User @key(fields: "id") @policy(policies: [["sameTenant"]]) {
    id: ID!
    name: String!
    balance: Money
    tier: Tier
  }
  interface Item { id: ID! }
  type Book implements Item @key(fields: "id") @requiresScopes(scopes: [["books:read"]]) { id: ID! }
  type Video implements Item @key(fields: "id") { id: ID! }
  type Query {
    hello: String
    me: User @authenticated
    secret: String @requiresScopes(scopes: [["secret:read", "audit"], ["ops"]])
    items: [Item]
    video: Video
    audited: String @policy(policies: [["neverRegistered"]])
    both: String @policy(policies: [["sameTenant"]])
  }
`;
const PROFILES = /* GraphQL */ `
  ${LINK}
  type User @key(fields: "id") {
    id: ID!
    email: String @requiresScopes(scopes: [["email:read"]])
  }
`;

const calls = { email: 0 };
const accountsResolvers: Resolvers = {
  Query: {
    hello: () => 'hi',
    me: () => ({ id: 'u1', name: 'Ada', balance: '12.00', tier: 'PRO' }),
    secret: () => 'the secret',
    items: () => [{ __typename: 'Video', id: 'v1' }, { __typename: 'Book', id: 'b1' }],
    video: () => ({ id: 'v1' }),
    audited: () => 'audited',
    both: () => 'both',
  },
  Item: { __resolveType: (item) => item['__typename'] },
  User: { __resolveReference: (ref) => ({ ...ref, name: 'Ada', balance: '12.00', tier: 'PRO' }) },
};
const profilesResolvers: Resolvers = {
  User: {
    email: () => {
      calls.email += 1;
      return 'ada@example.com';
    },
  },
};

const closers: (() => Promise<void>)[] = [];
let gateway: RunningGateway;

async function serve(typeDefs: string, resolvers: Resolvers): Promise<string> {
  const server = new ApolloServer({ schema: buildSubgraphSchema([{ typeDefs: parse(typeDefs), resolvers: resolvers as never }]), plugins: [ApolloServerPluginInlineTraceDisabled()] });
  const { url } = await startStandaloneServer(server, { listen: { host: '127.0.0.1', port: 0 } });
  closers.push(() => server.stop());
  return url;
}

beforeAll(async () => {
  const [accounts, profiles] = await Promise.all([serve(ACCOUNTS, accountsResolvers), serve(PROFILES, profilesResolvers)]);
  const composed = composeServices([
    { name: 'accounts', url: accounts, typeDefs: parse(ACCOUNTS) },
    { name: 'profiles', url: profiles, typeDefs: parse(PROFILES) },
  ]);
  if (!composed.supergraphSdl) throw new Error(composed.errors?.map((e) => e.message).join('\n'));
  const started = await startGatewayFor(composed.supergraphSdl, {
    // Root fields without a directive are public here; `both` also has a rule of ours (admins only).
    defaultAccess: 'public',
    accessRules: { Query: { both: adminOnly } },
    policies: { sameTenant: (caller) => caller.kind === 'user' && caller.principal.subject.startsWith('acme:') },
  });
  gateway = started.gateway;
  closers.push(() => started.close());
});

afterAll(async () => {
  for (const close of closers.reverse()) await close();
});

const caller = (sub: string, scope: string) => authorization({ sub, scope });

describe('@authenticated', () => {
  it('refuses anonymous callers at the field, and the rest of the answer stands', async () => {
    const response = await postGraphQL(gateway.url, '{ hello me { id } }');
    expect(response.body.data).toEqual({ hello: 'hi', me: null });
    expect(response.body.errors).toEqual([expect.objectContaining({ path: ['me'], extensions: { code: 'UNAUTHENTICATED' } })]);
  });

  it('on an enum guards every field returning it', async () => {
    const response = await postGraphQL(gateway.url, '{ me { name tier } }', undefined, await caller('acme:ada', ''));
    expect(response.body.data).toEqual({ me: { name: 'Ada', tier: 'PRO' } });
  });
});

describe('@requiresScopes', () => {
  it('needs every scope of one group: any group will do', async () => {
    const answers = await Promise.all(
      ['secret:read', 'secret:read audit', 'ops', 'admin', ''].map(async (scope) => errorCodes(await postGraphQL(gateway.url, '{ secret }', undefined, await caller('u', scope)))),
    );
    expect(answers).toEqual([['FORBIDDEN'], [], [], [], ['FORBIDDEN']]);
  });

  it('on a scalar guards every field returning it, leaving its siblings', async () => {
    const without = await postGraphQL(gateway.url, '{ me { name balance } }', undefined, await caller('acme:ada', ''));
    expect(without.body.data).toEqual({ me: { name: 'Ada', balance: null } });
    expect(without.body.errors).toEqual([expect.objectContaining({ path: ['me', 'balance'], extensions: { code: 'FORBIDDEN' } })]);
    const granted = await postGraphQL(gateway.url, '{ me { balance } }', undefined, await caller('acme:ada', 'money:read'));
    expect(granted.body).toEqual({ data: { me: { balance: '12.00' } } });
  });

  it("on another subgraph's entity field is decided before planning: the refused fetch is never made", async () => {
    const before = calls.email;
    const refused = await postGraphQL(gateway.url, '{ me { name email } }', undefined, await caller('acme:ada', ''));
    expect(refused.body.data).toEqual({ me: { name: 'Ada', email: null } });
    expect(errorCodes(refused)).toEqual(['FORBIDDEN']);
    expect(calls.email).toBe(before);
    const granted = await postGraphQL(gateway.url, '{ me { email } }', undefined, await caller('acme:ada', 'email:read'));
    expect(granted.body).toEqual({ data: { me: { email: 'ada@example.com' } } });
    expect(calls.email).toBe(before + 1);
  });

  it('on an object type guards it, and an interface it implements (composition gives the interface the AND of its implementations)', async () => {
    for (const query of ['{ items { id } }', '{ items { ... on Video { id } } }']) {
      const refused = await postGraphQL(gateway.url, query, undefined, await caller('u', ''));
      expect(refused.body.data).toEqual({ items: null });
      expect(errorCodes(refused)).toEqual(['FORBIDDEN']);
    }
    // A type without a requirement of its own, reached directly, stays open.
    expect((await postGraphQL(gateway.url, '{ video { id } }', undefined, await caller('u', ''))).body).toEqual({ data: { video: { id: 'v1' } } });
    const granted = await postGraphQL(gateway.url, '{ items { id } }', undefined, await caller('u', 'books:read'));
    expect(granted.body).toEqual({ data: { items: [{ id: 'v1' }, { id: 'b1' }] } });
  });
});

describe('@policy', () => {
  it('asks the policy registered under its name, for the type and every field returning it', async () => {
    const outsider = await postGraphQL(gateway.url, '{ hello me { name } }', undefined, await caller('globex:bob', 'admin'));
    expect(outsider.body.data).toEqual({ hello: 'hi', me: null });
    expect(errorCodes(outsider)).toEqual(['FORBIDDEN']);
    const insider = await postGraphQL(gateway.url, '{ me { name } }', undefined, await caller('acme:ada', ''));
    expect(insider.body).toEqual({ data: { me: { name: 'Ada' } } });
  });

  it('refuses everyone, admins too, where it names a policy nobody registered', async () => {
    expect(errorCodes(await postGraphQL(gateway.url, '{ audited }', undefined, await caller('acme:root', 'admin')))).toEqual(['FORBIDDEN']);
  });

  it('and a rule of ours on the same field must both allow it', async () => {
    const answers = await Promise.all(
      [
        ['acme:ada', ''],
        ['globex:root', 'admin'],
        ['acme:root', 'admin'],
      ].map(async ([sub, scope]) => errorCodes(await postGraphQL(gateway.url, '{ both }', undefined, await caller(sub!, scope!)))),
    );
    expect(answers).toEqual([['FORBIDDEN'], ['FORBIDDEN'], []]);
  });
});

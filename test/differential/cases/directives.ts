/** Federation directives: @requires, @provides/@external, @shareable, @override, @inaccessible. */
import { fed, type DifferentialCase, type SubgraphSpec } from '../harness.ts';

type Dimensions = { size: number; unit: string };
const SHIPPED: readonly { id: string; name: string; weight: number | null; dimensions: Dimensions | null }[] = [
  { id: 'p1', name: 'Box', weight: 2.5, dimensions: { size: 10, unit: 'cm' } },
  { id: 'p2', name: 'Crate', weight: null, dimensions: { size: 3, unit: 'm' } },
  { id: 'p3', name: 'Envelope', weight: 0.5, dimensions: null },
  { id: 'p4', name: 'Pallet', weight: 40, dimensions: { size: 2, unit: 'm' } },
];

const requires: DifferentialCase = {
  name: 'requires',
  subgraphs: (): SubgraphSpec[] => [
    {
      name: 'products',
      typeDefs: fed(
        ['@key', '@shareable'],
        `type Query { products: [Product!]! }
         type Product @key(fields: "id") { id: ID! name: String! weight: Float dimensions: Dimensions }
         type Dimensions @shareable { size: Int! unit: String! }`,
      ),
      resolvers: {
        Query: { products: () => SHIPPED },
        Product: { __resolveReference: ({ id }: { id: string }) => SHIPPED.find((p) => p.id === id) ?? null },
      },
    },
    {
      name: 'shipping',
      typeDefs: fed(
        ['@key', '@shareable', '@external', '@requires'],
        `type Query { cheapestShipping: Product }
         type Product @key(fields: "id") {
           id: ID!
           weight: Float @external
           dimensions: Dimensions @external
           shippingEstimate: Int @requires(fields: "weight dimensions { size unit }")
           shippingClass: String! @requires(fields: "dimensions { unit }")
         }
         type Dimensions @shareable { size: Int! unit: String! }`,
      ),
      resolvers: {
        Query: { cheapestShipping: () => ({ id: 'p3' }) },
        Product: {
          shippingEstimate: ({ weight, dimensions }: { weight?: number | null; dimensions?: Dimensions | null }) => {
            if (weight === undefined || dimensions === undefined) throw new Error('required fields were not sent');
            return weight === null || dimensions === null ? null : Math.round(weight * dimensions.size * (dimensions.unit === 'm' ? 100 : 1));
          },
          shippingClass: ({ dimensions }: { dimensions?: { unit: string } | null }) => {
            if (dimensions === undefined) throw new Error('required fields were not sent');
            return dimensions === null ? 'unknown' : dimensions.unit === 'm' ? 'freight' : 'parcel';
          },
        },
      },
    },
  ],
  operations: [
    { name: 'required fields with a nested selection', query: '{ products { name shippingEstimate } }' },
    { name: 'two @requires, none of the required fields selected by the client', query: '{ products { shippingEstimate shippingClass } }' },
    { name: 'required fields also selected by the client, partly', query: '{ products { id weight dimensions { size } shippingEstimate } }' },
    { name: 'root in the requiring subgraph, through the providing one and back', query: '{ cheapestShipping { name shippingEstimate shippingClass } }' },
  ],
};

const USERS: Readonly<Record<string, { username: string; email: string }>> = { u1: { username: 'ada', email: 'ada@example.com' }, u2: { username: 'bob', email: 'bob@example.com' } };
const POSTED = [
  { id: 'rv1', author: 'u1', body: 'Great' },
  { id: 'rv2', author: 'u2', body: 'Meh' },
  { id: 'rv3', author: 'u1', body: 'Fine' },
];

const provides: DifferentialCase = {
  name: 'provides-external',
  subgraphs: (): SubgraphSpec[] => [
    {
      name: 'accounts',
      typeDefs: fed(
        ['@key'],
        `type Query { me: User }
         type User @key(fields: "id") { id: ID! username: String! email: String! }`,
      ),
      resolvers: {
        Query: { me: () => ({ id: 'u1', ...USERS['u1'] }) },
        User: { __resolveReference: ({ id }: { id: string }) => (USERS[id] ? { id, ...USERS[id] } : null) },
      },
    },
    {
      name: 'reviews',
      typeDefs: fed(
        ['@key', '@external', '@provides'],
        `type Query { reviews: [Review!]! }
         type Review { id: ID! body: String! author: User! @provides(fields: "username") }
         type User @key(fields: "id") { id: ID! username: String! @external reviews: [Review!]! }`,
      ),
      resolvers: {
        Query: { reviews: () => POSTED },
        // The review store keeps the author's username next to the review: what @provides declares.
        Review: { author: ({ author }: { author: string }) => ({ id: author, username: USERS[author]?.username }) },
        User: { reviews: ({ id }: { id: string }) => POSTED.filter((r) => r.author === id) },
      },
    },
  ],
  operations: [
    { name: 'provided field only', query: '{ reviews { body author { username } } }' },
    { name: 'provided field and a field of the owning subgraph', query: '{ reviews { author { username email } } }' },
    { name: 'from the owning subgraph into the providing one', query: '{ me { username email reviews { body author { id username } } } }' },
    { name: 'external field not provided on this path', query: '{ me { reviews { author { reviews { id } } } } }' },
  ],
};

const PLACES = [
  { id: 'L1', name: 'Paris', coords: { lat: 48.85, lng: 2.35 }, population: 2_100_000 },
  { id: 'L2', name: 'Rome', coords: { lat: 41.9, lng: 12.5 }, population: 2_800_000 },
];
const placeById = ({ id }: { id: string }) => PLACES.find((p) => p.id === id) ?? null;

const shareable: DifferentialCase = {
  name: 'shareable',
  subgraphs: (): SubgraphSpec[] => [
    {
      name: 'atlas',
      typeDefs: fed(
        ['@key', '@shareable'],
        `type Query { locationsA: [Location!]! version: String! @shareable }
         type Location @key(fields: "id") { id: ID! name: String! @shareable coords: Coords! @shareable }
         type Coords @shareable { lat: Float! lng: Float! }`,
      ),
      resolvers: { Query: { locationsA: () => PLACES, version: () => 'v1' }, Location: { __resolveReference: placeById } },
    },
    {
      name: 'census',
      typeDefs: fed(
        ['@key', '@shareable'],
        `type Query { locationsB: [Location!]! version: String! @shareable }
         type Location @key(fields: "id") { id: ID! name: String! @shareable coords: Coords! @shareable population: Int! }
         type Coords @shareable { lat: Float! lng: Float! }`,
      ),
      resolvers: { Query: { locationsB: () => [...PLACES].reverse(), version: () => 'v1' }, Location: { __resolveReference: placeById } },
    },
  ],
  operations: [
    { name: 'shareable fields from the first subgraph, the rest from the second', query: '{ locationsA { name coords { lat lng } population } }' },
    { name: 'shareable fields from the second subgraph', query: '{ locationsB { name coords { lat } population } }' },
    { name: 'shareable root field with roots in both subgraphs', query: '{ version locationsA { id } locationsB { id population } }' },
    { name: 'shareable value type only', query: '{ locationsB { coords { lng lat } } }' },
  ],
};

const STALE_PRICE = 999;
const PRICES: Readonly<Record<string, number>> = { basic: 10, pro: 25 };
const PLAN_NAMES: Readonly<Record<string, string>> = { basic: 'Basic', pro: 'Pro' };

const override: DifferentialCase = {
  name: 'override',
  subgraphs: (): SubgraphSpec[] => [
    {
      name: 'legacy',
      typeDefs: fed(
        ['@key'],
        `type Query { plans: [Plan!]! featured: Plan }
         type Plan @key(fields: "id") { id: ID! name: String! price: Int! }`,
      ),
      resolvers: {
        // The legacy subgraph still answers for the fields moved away from it, with values the gateway must not use.
        Query: { plans: () => Object.keys(PLAN_NAMES).map((id) => ({ id })), featured: () => ({ id: 'pro' }) },
        Plan: { name: ({ id }: { id: string }) => PLAN_NAMES[id], price: () => STALE_PRICE },
      },
    },
    {
      name: 'pricing',
      typeDefs: fed(
        ['@key', '@override'],
        `type Query { cheapest: Plan featured: Plan @override(from: "legacy") }
         type Plan @key(fields: "id") { id: ID! price: Int! @override(from: "legacy") }`,
      ),
      resolvers: {
        Query: { cheapest: () => ({ id: 'basic' }), featured: () => ({ id: 'basic' }) },
        Plan: { price: ({ id }: { id: string }) => PRICES[id] },
      },
    },
  ],
  operations: [
    { name: 'overridden field with a field of the old subgraph', query: '{ plans { name price } }' },
    { name: 'overridden field only', query: '{ plans { price } }' },
    { name: 'from the new subgraph', query: '{ cheapest { id name price } }' },
    { name: 'overridden root field', query: '{ featured { id name price } }' },
  ],
};

const ACCOUNTS = [
  { id: 'a1', name: 'Ann', internalScore: 90, status: 'ACTIVE' },
  { id: 'a2', name: 'Ben', internalScore: 40, status: 'SUSPENDED' },
];
const RETIRED = { id: 'a3', name: 'Old', internalScore: 10, status: 'LEGACY' };
const accountById = ({ id }: { id: string }) => [...ACCOUNTS, RETIRED].find((a) => a.id === id) ?? null;

const inaccessible: DifferentialCase = {
  name: 'inaccessible',
  subgraphs: (): SubgraphSpec[] => [
    {
      name: 'main',
      typeDefs: fed(
        ['@key', '@inaccessible'],
        `type Query { accounts: [Account!]! accountsByStatus(status: Status!): [Account!]! everyone: [Account] hiddenRoot: String @inaccessible }
         type Account @key(fields: "id") { id: ID! name: String! internalScore: Int @inaccessible status: Status! }
         enum Status { ACTIVE SUSPENDED LEGACY @inaccessible }`,
      ),
      resolvers: {
        Query: {
          accounts: () => ACCOUNTS,
          accountsByStatus: (_: unknown, { status }: { status: string }) => [...ACCOUNTS, RETIRED].filter((a) => a.status === status),
          everyone: () => [...ACCOUNTS, RETIRED],
          hiddenRoot: () => 'hidden',
        },
        Account: { __resolveReference: accountById },
      },
    },
    {
      name: 'tiers',
      typeDefs: fed(
        ['@key', '@external', '@requires'],
        `type Account @key(fields: "id") { id: ID! internalScore: Int @external tier: String! @requires(fields: "internalScore") }`,
      ),
      resolvers: {
        Account: {
          tier: ({ internalScore }: { internalScore?: number | null }) => {
            if (internalScore === undefined) throw new Error('required field was not sent');
            return (internalScore ?? 0) >= 50 ? 'gold' : 'silver';
          },
        },
      },
    },
  ],
  operations: [
    { name: 'accessible fields and enum values', query: '{ accounts { name status } }' },
    { name: 'enum argument from a variable', query: 'query ($s: Status!) { accountsByStatus(status: $s) { id status } }', variables: { s: 'SUSPENDED' } },
    { name: '@requires of an @inaccessible field', query: '{ accounts { name tier } }' },
    { name: 'selecting an @inaccessible field is refused', query: '{ accounts { name internalScore } }', errors: true },
    { name: 'an @inaccessible enum value as an argument is refused', query: '{ accountsByStatus(status: LEGACY) { id } }', errors: true },
    { name: 'an @inaccessible enum value as a variable is refused', query: 'query ($s: Status!) { accountsByStatus(status: $s) { id } }', variables: { s: 'LEGACY' }, errors: true },
    { name: 'an @inaccessible root field is refused', query: '{ hiddenRoot }', errors: true },
    {
      name: 'a subgraph returning an @inaccessible enum value',
      query: '{ everyone { id status } }',
      errors: true,
      apolloDeviation: {
        why: 'Apollo nulls the value it cannot serialize but reports it only in extensions.valueCompletion, not in errors (GraphQL spec 6.4.4/7.1.2: a field error, with its path, in errors)',
        errorPaths: [['everyone', 2, 'status']],
      },
    },
  ],
};

export const directiveCases: readonly DifferentialCase[] = [requires, provides, shareable, override, inaccessible];

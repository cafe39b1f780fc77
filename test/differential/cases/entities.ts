/** Entities and keys: simple, compound and nested keys, a chain over three subgraphs, lists of lists. */
import { fed, type DifferentialCase, type SubgraphSpec } from '../harness.ts';

const PRODUCTS = [
  { upc: 'p1', name: 'Table', price: 100 },
  { upc: 'p2', name: 'Chair', price: 50 },
  { upc: 'p3', name: 'Lamp', price: null },
];
const REVIEWS = [
  { id: 'r1', upc: 'p1', body: 'Sturdy' },
  { id: 'r2', upc: 'p1', body: 'Heavy' },
  { id: 'r3', upc: 'p2', body: 'Comfy' },
];

/** Products and their reviews, keyed by `upc`: also used by the @skip/@include case. */
export function productReviewSubgraphs(): SubgraphSpec[] {
  return [
    {
      name: 'products',
      typeDefs: fed(
        ['@key'],
        `type Query { topProducts(first: Int = 5): [Product!]! product(upc: String!): Product }
         type Product @key(fields: "upc") { upc: String! name: String! price: Int }`,
      ),
      resolvers: {
        Query: {
          topProducts: (_: unknown, { first }: { first: number }) => PRODUCTS.slice(0, first),
          product: (_: unknown, { upc }: { upc: string }) => PRODUCTS.find((p) => p.upc === upc) ?? null,
        },
        Product: { __resolveReference: ({ upc }: { upc: string }) => PRODUCTS.find((p) => p.upc === upc) ?? null },
      },
    },
    {
      name: 'reviews',
      typeDefs: fed(
        ['@key'],
        `type Query { review(id: ID!): Review reviewCount: Int! }
         type Product @key(fields: "upc") { upc: String! reviews: [Review!]! }
         type Review { id: ID! body: String! product: Product! }`,
      ),
      resolvers: {
        Query: {
          review: (_: unknown, { id }: { id: string }) => REVIEWS.find((r) => r.id === id) ?? null,
          reviewCount: () => REVIEWS.length,
        },
        Product: { reviews: ({ upc }: { upc: string }) => REVIEWS.filter((r) => r.upc === upc) },
        Review: { product: ({ upc }: { upc: string }) => ({ upc }) },
      },
    },
  ];
}

const simpleKey: DifferentialCase = {
  name: 'simple-key',
  subgraphs: productReviewSubgraphs,
  operations: [
    { name: 'list of entities with fields from the second subgraph', query: '{ topProducts { upc name price reviews { id body } } }' },
    {
      name: 'entity by variable',
      query: 'query One($upc: String!) { product(upc: $upc) { name price reviews { body } } }',
      variables: { upc: 'p2' },
    },
    { name: 'missing entity is null', query: '{ product(upc: "nope") { name reviews { body } } }' },
    { name: 'from the second subgraph back to the first', query: '{ review(id: "r2") { body product { upc name price reviews { id } } } }' },
    {
      name: '__typename at the root and on entities',
      query: '{ __typename topProducts(first: 2) { __typename upc reviews { __typename id product { __typename name } } } }',
    },
    { name: 'only __typename at the root', query: '{ __typename }' },
    {
      name: 'operationName picks one of several operations',
      query: 'query A { topProducts(first: 1) { name } } query B { reviewCount product(upc: "p1") { name reviews { body } } }',
      operationName: 'B',
    },
  ],
};

const VARIANTS = [
  { id: 'v1', sku: 'A', color: 'red' },
  { id: 'v1', sku: 'B', color: 'blue' },
  { id: 'v2', sku: 'A', color: 'green' },
];
const STOCK: Readonly<Record<string, { stock: number; warehouse: string | null }>> = {
  'v1/A': { stock: 3, warehouse: 'north' },
  'v1/B': { stock: 0, warehouse: null },
  'v2/A': { stock: 12, warehouse: 'south' },
};

const compoundKey: DifferentialCase = {
  name: 'compound-key',
  subgraphs: (): SubgraphSpec[] => [
    {
      name: 'catalog',
      typeDefs: fed(
        ['@key'],
        `type Query { variants: [Variant!]! }
         type Variant @key(fields: "id sku") { id: ID! sku: String! color: String! }`,
      ),
      resolvers: {
        Query: { variants: () => VARIANTS },
        Variant: { __resolveReference: ({ id, sku }: { id: string; sku: string }) => VARIANTS.find((v) => v.id === id && v.sku === sku) ?? null },
      },
    },
    {
      name: 'inventory',
      typeDefs: fed(
        ['@key'],
        `type Query { lowStock: [Variant!]! }
         type Variant @key(fields: "id sku") { id: ID! sku: String! stock: Int! warehouse: String }`,
      ),
      resolvers: {
        Query: {
          lowStock: () => [
            { id: 'v1', sku: 'B' },
            { id: 'v1', sku: 'A' },
          ],
        },
        Variant: {
          stock: ({ id, sku }: { id: string; sku: string }) => STOCK[`${id}/${sku}`]?.stock,
          warehouse: ({ id, sku }: { id: string; sku: string }) => STOCK[`${id}/${sku}`]?.warehouse ?? null,
        },
      },
    },
  ],
  operations: [
    { name: 'both halves of a compound key', query: '{ variants { id sku color stock warehouse } }' },
    { name: 'compound key not selected by the client', query: '{ variants { stock } }' },
    { name: 'from the second subgraph by compound key', query: '{ lowStock { sku color stock } }' },
  ],
};

const ORGS: Readonly<Record<string, string>> = { o1: 'Acme', o2: 'Globex' };
const MEMBERS = [
  { id: 'm1', org: 'o1', name: 'Ann' },
  { id: 'm1', org: 'o2', name: 'Bob' },
  { id: 'm2', org: 'o1', name: 'Cid' },
];
const PLANS: Readonly<Record<string, string>> = { 'm1@o1': 'pro', 'm1@o2': 'free', 'm2@o1': 'team' };
type MemberKey = { id: string; org: { id: string } };
const memberOut = (m: { id: string; org: string; name: string }) => ({ id: m.id, org: { id: m.org }, name: m.name });

const nestedKey: DifferentialCase = {
  name: 'nested-key',
  subgraphs: (): SubgraphSpec[] => [
    {
      name: 'users',
      typeDefs: fed(
        ['@key'],
        `type Query { members: [Member!]! }
         type Member @key(fields: "id org { id }") { id: ID! org: Org! name: String! }
         type Org @key(fields: "id") { id: ID! name: String! }`,
      ),
      resolvers: {
        Query: { members: () => MEMBERS.map(memberOut) },
        Member: {
          __resolveReference: ({ id, org }: MemberKey) => {
            const member = MEMBERS.find((m) => m.id === id && m.org === org.id);
            return member ? memberOut(member) : null;
          },
        },
        Org: { name: ({ id }: { id: string }) => ORGS[id] },
      },
    },
    {
      name: 'billing',
      typeDefs: fed(
        ['@key'],
        `type Query { subscribers: [Member!]! }
         type Member @key(fields: "id org { id }") { id: ID! org: Org! plan: String! }
         type Org @key(fields: "id", resolvable: false) { id: ID! }`,
      ),
      resolvers: {
        Query: {
          subscribers: () => [
            { id: 'm2', org: { id: 'o1' } },
            { id: 'm1', org: { id: 'o2' } },
          ],
        },
        Member: { plan: ({ id, org }: MemberKey) => PLANS[`${id}@${org.id}`] },
      },
    },
  ],
  operations: [
    { name: 'nested key with fields from both subgraphs', query: '{ members { id name org { id name } plan } }' },
    { name: 'nested key not selected by the client', query: '{ members { plan } }' },
    { name: 'from the second subgraph by nested key', query: '{ subscribers { name plan org { name } } }' },
  ],
};

const ORDERS = [
  { id: 'o1', customer: 'c1', total: 30 },
  { id: 'o2', customer: 'c2', total: 12 },
  { id: 'o3', customer: 'c1', total: 7 },
];
const CUSTOMERS: Readonly<Record<string, { name: string; address: string }>> = { c1: { name: 'Ada', address: 'a1' }, c2: { name: 'Bo', address: 'a2' } };
const ADDRESSES: Readonly<Record<string, { city: string; residents: string[] }>> = { a1: { city: 'Lagos', residents: ['c1'] }, a2: { city: 'Oslo', residents: ['c2', 'c1'] } };

const chain: DifferentialCase = {
  name: 'chain-abc',
  subgraphs: (): SubgraphSpec[] => [
    {
      name: 'orders',
      typeDefs: fed(
        ['@key'],
        `type Query { orders: [Order!]! }
         type Order @key(fields: "id") { id: ID! total: Int! customer: Customer! }
         type Customer @key(fields: "id", resolvable: false) { id: ID! }`,
      ),
      resolvers: {
        Query: { orders: () => ORDERS },
        Order: { customer: ({ customer }: { customer: string }) => ({ id: customer }) },
      },
    },
    {
      name: 'customers',
      typeDefs: fed(
        ['@key'],
        `type Customer @key(fields: "id") { id: ID! name: String! address: Address! }
         type Address @key(fields: "id", resolvable: false) { id: ID! }`,
      ),
      resolvers: {
        Customer: {
          name: ({ id }: { id: string }) => CUSTOMERS[id]?.name,
          address: ({ id }: { id: string }) => ({ id: CUSTOMERS[id]?.address }),
        },
      },
    },
    {
      name: 'addresses',
      typeDefs: fed(
        ['@key'],
        `type Address @key(fields: "id") { id: ID! city: String! residents: [Customer!]! }
         type Customer @key(fields: "id", resolvable: false) { id: ID! }`,
      ),
      resolvers: {
        Address: {
          city: ({ id }: { id: string }) => ADDRESSES[id]?.city,
          residents: ({ id }: { id: string }) => (ADDRESSES[id]?.residents ?? []).map((c) => ({ id: c })),
        },
      },
    },
  ],
  operations: [
    { name: 'A to B to C', query: '{ orders { id total customer { name address { city } } } }' },
    { name: 'A to C through B without B fields', query: '{ orders { customer { address { city } } } }' },
    { name: '__typename at every level', query: '{ orders { __typename customer { __typename address { __typename id } } } }' },
    {
      name: 'A to B to C and back to B',
      query: '{ orders { id customer { address { city people: residents { id name } } } } }',
    },
  ],
};

const CELLS: Readonly<Record<string, { value: number; label: string | null }>> = { c1: { value: 1, label: 'one' }, c2: { value: 2, label: null }, c3: { value: 3, label: 'three' } };
const cell = (id: string) => ({ id });

const listsOfLists: DifferentialCase = {
  name: 'lists-of-lists',
  subgraphs: (): SubgraphSpec[] => [
    {
      name: 'grid',
      typeDefs: fed(
        ['@key'],
        `type Query { grid: [[Cell]] matrix: [[Cell!]!]! }
         type Cell @key(fields: "id") { id: ID! }`,
      ),
      resolvers: {
        Query: {
          grid: () => [[cell('c1'), null, cell('c2')], null, [], [cell('c3'), cell('c1')]],
          matrix: () => [[cell('c2')], [cell('c3'), cell('c1')]],
        },
      },
    },
    {
      name: 'cells',
      typeDefs: fed(['@key'], 'type Cell @key(fields: "id") { id: ID! value: Int! label: String pairs: [[Int!]!]! }'),
      resolvers: {
        Cell: {
          value: ({ id }: { id: string }) => CELLS[id]?.value,
          label: ({ id }: { id: string }) => CELLS[id]?.label ?? null,
          pairs: ({ id }: { id: string }) => {
            const value = CELLS[id]?.value ?? 0;
            return [[value, value * 2], [], [value * 3]];
          },
        },
      },
    },
  ],
  operations: [
    { name: 'entities in a list of lists with null items and null lists', query: '{ grid { id value } }' },
    { name: 'non-null list of lists, and a list of lists of scalars on the entity', query: '{ matrix { value label pairs } }' },
    { name: '__typename only in a list of lists', query: '{ grid { __typename } }' },
  ],
};

export const entityCases: readonly DifferentialCase[] = [simpleKey, compoundKey, nestedKey, chain, listsOfLists];

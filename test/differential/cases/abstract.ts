/** Abstract types: interfaces with entity implementations, @interfaceObject, unions, fragments on them. */
import { fed, type DifferentialCase, type SubgraphSpec } from '../harness.ts';

type Kinded = { kind: string };
const byKind = ({ kind }: Kinded) => kind;

const MEDIA = [
  { kind: 'Book', id: 'b1', title: 'Dune', pages: 412 },
  { kind: 'Movie', id: 'm1', title: 'Alien', minutes: 117 },
  { kind: 'Book', id: 'b2', title: 'Emma', pages: 320 },
];
const STARS: Readonly<Record<string, number>> = { b1: 5, b2: 3, m1: 4 };
const mediaById = ({ id }: { id: string }) => MEDIA.find((m) => m.id === id) ?? null;

const interfaceEntities: DifferentialCase = {
  name: 'interface-entities',
  subgraphs: (): SubgraphSpec[] => [
    {
      name: 'library',
      typeDefs: fed(
        ['@key'],
        `type Query { media: [Media!]! mediaById(id: ID!): Media }
         interface Media { id: ID! title: String! }
         type Book implements Media @key(fields: "id") { id: ID! title: String! pages: Int! }
         type Movie implements Media @key(fields: "id") { id: ID! title: String! minutes: Int! }`,
      ),
      resolvers: {
        Query: { media: () => MEDIA, mediaById: (_: unknown, args: { id: string }) => mediaById(args) },
        Media: { __resolveType: byKind },
        Book: { __resolveReference: mediaById },
        Movie: { __resolveReference: mediaById },
      },
    },
    {
      name: 'ratings',
      typeDefs: fed(
        ['@key'],
        `type Book @key(fields: "id") { id: ID! stars: Int! }
         type Movie @key(fields: "id") { id: ID! stars: Int! reviewsCount: Int! }`,
      ),
      resolvers: {
        Book: { stars: ({ id }: { id: string }) => STARS[id] },
        Movie: { stars: ({ id }: { id: string }) => STARS[id], reviewsCount: () => 7 },
      },
    },
  ],
  operations: [
    {
      name: 'inline fragments per implementation with __typename',
      query: '{ media { __typename title ... on Book { pages stars } ... on Movie { minutes stars reviewsCount } } }',
    },
    { name: 'fragment on one implementation, without __typename', query: '{ media { title ... on Book { stars } } }' },
    {
      name: 'named fragment on the interface and inline fragment on one type',
      query: 'query { mediaById(id: "m1") { ...M ... on Movie { stars } } } fragment M on Media { id title }',
    },
    { name: 'interface fields only', query: '{ media { id } }' },
  ],
};

const ITEMS = [
  { kind: 'Article', id: 'i1', name: 'Intro', words: 500 },
  { kind: 'Video', id: 'i2', name: 'Demo', seconds: 90 },
  { kind: 'Article', id: 'i3', name: 'Deep dive', words: 3000 },
];
const VIEWS: Readonly<Record<string, number>> = { i1: 100, i2: 2500, i3: 7 };
const itemById = ({ id }: { id: string }) => ITEMS.find((i) => i.id === id) ?? null;

const interfaceObject: DifferentialCase = {
  name: 'interface-object',
  subgraphs: (): SubgraphSpec[] => [
    {
      name: 'content',
      typeDefs: fed(
        ['@key'],
        `type Query { items: [Item!]! }
         interface Item @key(fields: "id") { id: ID! name: String! }
         type Article implements Item @key(fields: "id") { id: ID! name: String! words: Int! }
         type Video implements Item @key(fields: "id") { id: ID! name: String! seconds: Int! }`,
      ),
      resolvers: {
        Query: { items: () => ITEMS },
        Item: { __resolveReference: itemById, __resolveType: byKind },
        Article: { __resolveReference: itemById },
        Video: { __resolveReference: itemById },
      },
    },
    {
      name: 'stats',
      typeDefs: fed(
        ['@key', '@interfaceObject'],
        `type Query { popular: [Item!]! }
         type Item @key(fields: "id") @interfaceObject { id: ID! views: Int! }`,
      ),
      resolvers: {
        Query: { popular: () => [{ id: 'i2' }, { id: 'i1' }] },
        Item: { views: ({ id }: { id: string }) => VIEWS[id] },
      },
    },
  ],
  operations: [
    { name: 'field of the interface object on every implementation', query: '{ items { name views } }' },
    { name: 'field of the interface object inside a type condition', query: '{ items { __typename ... on Article { words views } } }' },
    {
      name: 'root in the interface-object subgraph, concrete types from the other',
      query: '{ popular { __typename id name ... on Video { seconds } views } }',
    },
    { name: 'root in the interface-object subgraph, its own field only', query: '{ popular { views } }' },
  ],
};

const AUTHORS: Readonly<Record<string, string>> = { a1: 'Ann', a2: 'Bob' };
const POSTS: Readonly<Record<string, { title: string; author: string }>> = { p1: { title: 'Hello', author: 'a2' }, p2: { title: 'World', author: 'a1' } };

const unions: DifferentialCase = {
  name: 'unions',
  subgraphs: (): SubgraphSpec[] => [
    {
      name: 'search',
      typeDefs: fed(
        ['@key'],
        `type Query { search(term: String!): [Result!]! }
         union Result = Author | Post
         type Author @key(fields: "id") { id: ID! }
         type Post @key(fields: "id") { id: ID! }`,
      ),
      resolvers: {
        Query: {
          search: (_: unknown, { term }: { term: string }) =>
            term === 'none'
              ? []
              : [
                  { kind: 'Post', id: 'p1' },
                  { kind: 'Author', id: 'a1' },
                  { kind: 'Post', id: 'p2' },
                ],
        },
        Result: { __resolveType: byKind },
      },
    },
    {
      name: 'content',
      typeDefs: fed(
        ['@key'],
        `type Author @key(fields: "id") { id: ID! name: String! }
         type Post @key(fields: "id") { id: ID! title: String! author: Author! }`,
      ),
      resolvers: {
        Author: { name: ({ id }: { id: string }) => AUTHORS[id] },
        Post: { title: ({ id }: { id: string }) => POSTS[id]?.title, author: ({ id }: { id: string }) => ({ id: POSTS[id]?.author }) },
      },
    },
  ],
  operations: [
    { name: 'inline fragments on every member with __typename', query: '{ search(term: "x") { __typename ... on Post { title } ... on Author { name } } }' },
    { name: 'inline fragments on every member without __typename', query: '{ search(term: "x") { ... on Post { id title } ... on Author { id name } } }' },
    { name: 'fragment on one member only', query: '{ search(term: "x") { ... on Post { title author { name } } } }' },
    {
      name: 'named fragments on members',
      query: 'query { search(term: "x") { ...P ...A } } fragment P on Post { title author { ...A } } fragment A on Author { name }',
    },
    { name: 'empty result', query: '{ search(term: "none") { __typename ... on Post { title } } }' },
  ],
};

const ANIMALS = [
  { kind: 'Dog', id: 'd1', name: 'Rex', barks: true },
  { kind: 'Cat', id: 'k1', name: 'Tom', lives: 9 },
  { kind: 'Dog', id: 'd2', name: 'Fido', barks: false },
];
const VACCINATED: Readonly<Record<string, boolean>> = { d1: true, d2: false, k1: true };
const animalById = ({ id }: { id: string }) => ANIMALS.find((a) => a.id === id) ?? null;

const abstractFragments: DifferentialCase = {
  name: 'abstract-fragments',
  subgraphs: (): SubgraphSpec[] => [
    {
      name: 'zoo',
      typeDefs: fed(
        ['@key'],
        `type Query { animals: [Animal!]! pets: [Pet!]! }
         interface Animal { id: ID! name: String! }
         type Dog implements Animal @key(fields: "id") { id: ID! name: String! barks: Boolean! }
         type Cat implements Animal @key(fields: "id") { id: ID! name: String! lives: Int! }
         union Pet = Dog | Cat`,
      ),
      resolvers: {
        Query: { animals: () => ANIMALS, pets: () => [...ANIMALS].reverse() },
        Animal: { __resolveType: byKind },
        Pet: { __resolveType: byKind },
        Dog: { __resolveReference: animalById },
        Cat: { __resolveReference: animalById },
      },
    },
    {
      name: 'vet',
      typeDefs: fed(
        ['@key'],
        `type Dog @key(fields: "id") { id: ID! vaccinated: Boolean! }
         type Cat @key(fields: "id") { id: ID! vaccinated: Boolean! }`,
      ),
      resolvers: {
        Dog: { vaccinated: ({ id }: { id: string }) => VACCINATED[id] },
        Cat: { vaccinated: ({ id }: { id: string }) => VACCINATED[id] },
      },
    },
  ],
  operations: [
    {
      name: 'named fragments on an interface and its types, without __typename',
      query: '{ animals { ...A } } fragment A on Animal { name ...D ...C } fragment D on Dog { barks vaccinated } fragment C on Cat { lives }',
    },
    {
      name: 'named fragments on an interface and its types, with __typename',
      query: '{ animals { __typename ...A } } fragment A on Animal { __typename name ...D } fragment D on Dog { __typename barks vaccinated }',
    },
    { name: 'inline fragments on a union', query: '{ pets { ... on Dog { name vaccinated } ... on Cat { name } } }' },
    { name: 'interface fragment inside a union', query: '{ pets { ... on Animal { name } ... on Cat { vaccinated } } }' },
    {
      name: 'nested fragments and a fragment without type condition',
      query: '{ animals { ... on Animal { ... on Animal { id } } ... { name } ... on Pet { ... on Dog { vaccinated } } } }',
    },
    { name: 'aliased __typename', query: '{ animals { kind: __typename name } pets { t: __typename } }' },
  ],
};

export const abstractCases: readonly DifferentialCase[] = [interfaceEntities, interfaceObject, unions, abstractFragments];

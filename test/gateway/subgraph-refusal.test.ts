import { buildSchema, GraphQLError, parse, validate, type GraphQLSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { refusalCause } from '../../gateway/engine/subgraph-refusal.ts';

/** What a subgraph serves: the supergraph claimed more (or other) than this. */
const served = buildSchema(`
  scalar Stamp
  enum Size { S M }
  type Product { sku: ID! name: String! size: Size }
  type Query { product(sku: ID!): Product products(size: Size): [Product!]! openAt(when: Stamp!): String }
`);
// Stamp's literal is checked by the scalar itself, as a subgraph's custom scalar does (buildSchema's accepts any).
Object.assign(served.getType('Stamp')!, {
  parseLiteral: () => {
    throw new GraphQLError('Stamp must be an ISO-8601 string');
  },
});

/** The refusal a subgraph answers with for `query`: graphql-js's own validation message, under Apollo Server's code. */
function refusalOf(schema: GraphQLSchema, query: string) {
  const [error] = validate(schema, parse(query));
  if (!error) throw new Error(`${query} is valid`);
  return { message: error.message, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } };
}

describe('why a subgraph refused the query planned for it', () => {
  it.each([
    ['a field it lacks', '{ product(sku: "p1") { price } }'],
    ['an argument it lacks', '{ product(sku: "p1", locale: "en") { name } }'],
    ['a required argument the supergraph does not know', '{ product { name } }'],
    ['an enum value it lacks', '{ products(size: XL) { name } }'],
    ['a field that became an object', '{ product(sku: "p1") }'],
    ['a fragment on a type it lacks', '{ product(sku: "p1") { ... on Gadget { name } } }'],
    ['a directive it lacks', '{ product(sku: "p1") @cached { name } }'],
  ])('%s: the supergraph does not match', (_, query) => {
    expect(refusalCause(refusalOf(served, query))).toBe('mismatch');
  });

  it("a custom scalar's literal it rejects: the client's input", () => {
    expect(refusalCause(refusalOf(served, '{ openAt(when: "garbage") }'))).toBe('input');
  });

  it('a query it cannot parse: the supergraph does not match (the gateway parsed what the client sent)', () => {
    expect(refusalCause({ message: 'Syntax Error: Unexpected "}".', extensions: { code: 'GRAPHQL_PARSE_FAILED' } })).toBe('mismatch');
  });

  it('an error of a resolver is no refusal', () => {
    expect(refusalCause({ message: 'boom', extensions: { code: 'INTERNAL_SERVER_ERROR' } })).toBeUndefined();
    expect(refusalCause({ message: 'boom' })).toBeUndefined();
  });
});

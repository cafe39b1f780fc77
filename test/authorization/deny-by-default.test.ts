import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminOnly, publicAccess, scope } from '../../kit/access/access.ts';
import { accessPolicy, mergeAccessRules } from '../../gateway/authorize/policy.ts';
import { errorCodes, postGraphQL } from '../support/graphql-client.ts';
import { startTestGateway, type TestGateway } from '../support/test-gateway.ts';
import { adminHeaders } from '../support/tokens.ts';
import { buildSchema } from 'graphql';

let stack: TestGateway;
beforeAll(async () => {
  // As if `echo` and `whoami` had just been added to the subgraph and nobody had written their rules yet.
  stack = await startTestGateway({ accessRules: { Query: { node: publicAccess } } });
});
afterAll(async () => {
  await stack?.close();
});

describe('a root field without a rule', () => {
  it('is denied to everyone, admins included, while ruled fields still answer', async () => {
    const response = await postGraphQL(stack.gateway.url, '{ node(id: "1") { id } echo(text: "hi") whoami }', undefined, await adminHeaders());
    expect(response.body.data).toBeNull(); // echo is non-null, so its refusal nulls the answer
    expect(errorCodes(response)).toEqual(['FORBIDDEN', 'FORBIDDEN']);
    const nullable = await postGraphQL(stack.gateway.url, '{ node(id: "1") { id } whoami }');
    expect(nullable.body).toMatchObject({ data: { node: { id: '1' }, whoami: null }, errors: [{ path: ['whoami'], extensions: { code: 'FORBIDDEN' } }] });
  });
});

describe('access rules', () => {
  const schema = buildSchema('type Query { a: Int b: Int } type Mutation { c: Int }');

  it('cover every root field, with the unruled ones named', () => {
    const policy = accessPolicy(schema, { Query: { a: publicAccess } });
    expect(policy.unruled).toEqual(['Query.b', 'Mutation.c']);
    expect(Object.keys(policy.rules['Mutation']!)).toEqual(['c']);
  });

  it('refuse to start with a rule for a field the schema does not have', () => {
    expect(() => accessPolicy(schema, { Query: { nope: publicAccess } })).toThrow(/Query\.nope/);
    expect(() => accessPolicy(schema, { Other: { a: publicAccess } })).toThrow(/Other\.a/);
    // Serving a supergraph that is not ours: such rules are dropped, and unruled fields are still denied.
    const lenient = accessPolicy(schema, { Query: { a: publicAccess, nope: publicAccess } }, { ignoreMissing: true });
    expect(lenient.unruled).toEqual(['Query.b', 'Mutation.c']);
  });

  it('refuse two different rules for one field', () => {
    expect(() => mergeAccessRules([{ Query: { a: publicAccess } }, { Query: { a: scope('admin') } }])).toThrow(/Query\.a/);
    expect(mergeAccessRules([{ Query: { a: adminOnly } }, { Query: { a: adminOnly, b: publicAccess } }])['Query']).toEqual({ a: adminOnly, b: publicAccess });
  });
});

import { QueryPlanner } from '@graphql-hive/router-query-planner';
import {
  buildASTSchema,
  buildSchema,
  GraphQLError,
  Kind,
  parse,
  print,
  validate,
  type DefinitionNode,
  type DocumentNode,
  type FieldNode,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { providers } from '../../app/providers.ts';
import { authenticated, publicAccess, scope, unauthenticated, type AccessRules } from '../../kit/access/access.ts';
import { isAdmin, type Caller } from '../../kit/access/principal.ts';
import {
  allow,
  and,
  compileOperationAccess,
  deny,
  not,
  or,
  rule,
  shieldRules,
  type AccessDecision,
  type OperationCheckContext,
  type ShieldRules,
} from '../../gateway/authorize/operation-check.ts';
import { accessPolicy } from '../../gateway/authorize/policy.ts';
import { accessRulesOf } from '../../gateway/options-from-config.ts';
import { signTestToken, testAuthenticate } from '../support/tokens.ts';

/**
 * The API schema the planner serves (its consumer schema). That SDL also spells out the introspection
 * types and Query.__schema/__type, which graphql-js rejects as a schema to validate against: they are left
 * out here, and graphql-js adds its own.
 */
function apiSchema(): GraphQLSchema {
  const sdl = readFileSync(new URL('../../schema/supergraph.graphql', import.meta.url), 'utf8');
  const document = parse(new QueryPlanner(sdl).consumerSchema);
  const definitions = document.definitions.flatMap((definition): DefinitionNode[] => {
    if ('name' in definition && definition.name?.value.startsWith('__')) return [];
    if (definition.kind === Kind.OBJECT_TYPE_DEFINITION && definition.fields?.some((f) => f.name.value.startsWith('__'))) {
      return [{ ...definition, fields: definition.fields.filter((f) => !f.name.value.startsWith('__')) }];
    }
    return [definition];
  });
  return buildASTSchema({ ...document, definitions });
}

const schema = apiSchema();
const policy = accessPolicy(schema, accessRulesOf(providers));
const rules = shieldRules(policy.rules);

// Real callers: signed tokens, verified the way the gateway does it.
const authenticate = testAuthenticate();
const callerWith = async (claims: Record<string, unknown>): Promise<Caller> => authenticate(`Bearer ${await signTestToken(claims)}`);
const anonymous = await authenticate(undefined);
const ada = await callerWith({ sub: 'user-ada', scope: 'social:read storage:read', customer: 'cus_ada', github: 'adaokafor', storage_prefix: 'customers/cus_ada/' });
const payer = await callerWith({ sub: 'user-ada', scope: 'payments:read', customer: 'cus_ada' });
const writer = await callerWith({ sub: 'user-ada', scope: 'storage:read storage:write', storage_prefix: 'customers/cus_ada/' });
const admin = await callerWith({ sub: 'user-admin', scope: 'admin' });

function compile(query: string, { on = schema, with: given = rules, operationName }: { on?: GraphQLSchema; with?: ShieldRules; operationName?: string } = {}) {
  const document = parse(query);
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION && (!operationName || d.name?.value === operationName));
  if (operation?.kind !== Kind.OPERATION_DEFINITION) throw new Error('no operation');
  expect(validate(on, document)).toEqual([]);
  const access = compileOperationAccess({ schema: on, document, operation, rules: given });
  return {
    document,
    access,
    async decide(caller: Caller, variables: Record<string, unknown> = {}) {
      const decision = await access.decide(caller, variables);
      // Whatever is left must still be a valid operation of the schema.
      if (decision.document) expect(validate(on, decision.document)).toEqual([]);
      return decision;
    },
  };
}

const printed = (decision: AccessDecision) => (decision.document ? print(decision.document) : null);
const same = (query: string) => print(parse(query));
const codes = (decision: AccessDecision) => [...decision.refused.values()].map((error) => error.extensions['code']);
const refusedFields = (decision: AccessDecision) => [...decision.refused.keys()].map((node) => node.alias?.value ?? node.name.value);

/** The FieldNode at a path of response keys, from a selection set of the original document. */
function fieldAt(selectionSet: SelectionSetNode, ...keys: string[]): FieldNode {
  const [key, ...rest] = keys;
  const field = selectionSet.selections.find((s): s is FieldNode => s.kind === Kind.FIELD && (s.alias?.value ?? s.name.value) === key);
  if (!field) throw new Error(`no ${key}`);
  return rest.length === 0 ? field : fieldAt(field.selectionSet!, ...rest);
}
const operationOf = (document: DocumentNode) => document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION)!;
const fragmentOf = (document: DocumentNode, name: string) => {
  const fragment = document.definitions.find((d) => d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === name);
  if (fragment?.kind !== Kind.FRAGMENT_DEFINITION) throw new Error(`no fragment ${name}`);
  return fragment;
};

describe('public fields', () => {
  it('are allowed to anonymous callers, with the document left as it is', async () => {
    const { document, access, decide } = compile('{ products(first: 1) { nodes { id name } } githubUser(login: "adaokafor") { login } }');
    expect(access.ruled).toBe(true);
    const decision = await decide(anonymous);
    expect(decision.refused.size).toBe(0);
    expect(decision.key).toBe('');
    expect(decision.refusals).toEqual([]);
    expect(decision.document).toBe(document);
  });

  it('an operation with no ruled selection is not ruled (meta-fields have no rules)', async () => {
    const { document, access, decide } = compile('{ __typename }');
    expect(access.ruled).toBe(false);
    expect((await decide(anonymous)).document).toBe(document);
  });
});

describe('anonymous callers', () => {
  it('are told to sign in for viewer, while the rest stays', async () => {
    const { document, decide } = compile('{ viewer { id } products(first: 1) { nodes { id } } }');
    const decision = await decide(anonymous);
    const viewer = fieldAt(operationOf(document).selectionSet, 'viewer');
    expect([...decision.refused.keys()]).toEqual([viewer]);
    expect(decision.refused.get(viewer)).toMatchObject({ message: 'Sign in to use this field', extensions: { code: 'UNAUTHENTICATED' } });
    expect(decision.refused.get(viewer)!.nodes).toEqual([viewer]);
    expect(decision.refusals).toEqual([{ typeName: 'Query', fieldName: 'viewer', args: {}, error: decision.refused.get(viewer) }]);
    expect(printed(decision)).toBe(same('{ products(first: 1) { nodes { id } } }'));
    expect(decision.key).toBe('0');
  });

  it('are not checked below a refused field: it is gone with its parent', async () => {
    let checked = 0;
    const counting = rule('counting')(() => {
      checked += 1;
      return true;
    });
    const { decide } = compile('{ viewer { customer { id } } products { nodes { id } } }', { with: { ...rules, Viewer: { ...rules['Viewer'], customer: counting } } });
    const decision = await decide(anonymous);
    expect(refusedFields(decision)).toEqual(['viewer']);
    expect(decision.refusals.map((r) => r.fieldName)).toEqual(['viewer']);
    expect(checked).toBe(0);
  });
});

describe('nested fields', () => {
  it('a user without payments:read is refused viewer.customer, and keeps the rest of viewer', async () => {
    const { document, decide } = compile('{ viewer { id customer { id email } github { login } } }');
    const decision = await decide(ada);
    const customer = fieldAt(operationOf(document).selectionSet, 'viewer', 'customer');
    expect([...decision.refused.keys()]).toEqual([customer]);
    expect(codes(decision)).toEqual(['FORBIDDEN']);
    expect(decision.refusals).toMatchObject([{ typeName: 'Viewer', fieldName: 'customer', args: {} }]);
    expect(printed(decision)).toBe(same('{ viewer { id github { login } } }'));
  });

  it('a selection set left empty gets __typename', async () => {
    const { decide } = compile('{ viewer { customer { id } } }');
    expect(printed(await decide(ada))).toBe(same('{ viewer { __typename } }'));
    // With the scope, nothing is refused.
    const allowed = await decide(payer);
    expect(allowed.refused.size).toBe(0);
  });

  it('a nested rule with arguments sees them (Bucket.objects, ownership by prefix)', async () => {
    const { decide } = compile('{ bucket(name: "files") { name mine: objects(prefix: "customers/cus_ada/") { commonPrefixes } all: objects { commonPrefixes } } }');
    const decision = await decide(ada);
    expect(refusedFields(decision)).toEqual(['all']);
    expect(decision.refusals).toMatchObject([{ typeName: 'Bucket', fieldName: 'objects', args: { first: 20 } }]);
    expect(printed(decision)).toBe(same('{ bucket(name: "files") { name mine: objects(prefix: "customers/cus_ada/") { commonPrefixes } } }'));
  });
});

describe('ownership by argument', () => {
  const query = 'query Customer($id: ID!) { customer(id: $id) { id email } }';

  it('reads the argument through its variable, coerced as graphql-js would', async () => {
    const { document, decide } = compile(query);
    const own = await decide(payer, { id: 'cus_ada' });
    expect(own.refused.size).toBe(0);
    expect(own.document).toBe(document);
    const other = await decide(payer, { id: 'cus_bob' });
    expect(codes(other)).toEqual(['FORBIDDEN']);
    expect(other.refusals).toMatchObject([{ typeName: 'Query', fieldName: 'customer', args: { id: 'cus_bob' } }]);
    expect(other.document).toBeNull();
    // An ID variable given as a number is coerced to a string, as graphql-js does.
    const coerced = await decide(await callerWith({ sub: 'u', scope: 'payments:read', customer: '42' }), { id: 42 });
    expect(coerced.refused.size).toBe(0);
    expect((await decide(admin, { id: 'cus_bob' })).refused.size).toBe(0);
  });

  it('checks the same field selected twice (aliases) per selection', async () => {
    const { decide } = compile('query Two($own: ID!, $other: ID!) { mine: customer(id: $own) { id } theirs: customer(id: $other) { id } }');
    const decision = await decide(payer, { own: 'cus_ada', other: 'cus_bob' });
    expect(refusedFields(decision)).toEqual(['theirs']);
    expect(decision.key).toBe('1');
    // The variable only the refused field used is no longer defined.
    expect(printed(decision)).toBe(same('query Two($own: ID!) { mine: customer(id: $own) { id } }'));
    const swapped = await decide(payer, { own: 'cus_bob', other: 'cus_ada' });
    expect(swapped.key).toBe('0');
    expect((await decide(payer, { own: 'cus_ada', other: 'cus_bob' })).key).toBe(decision.key);
  });

  it('does not throw when the variables cannot be coerced: nothing of the operation runs', async () => {
    const { document, decide } = compile(query);
    const decision = await decide(payer, {});
    expect(decision.document).toBeNull();
    expect([...decision.refused.keys()]).toEqual([fieldAt(operationOf(document).selectionSet, 'customer')]);
    expect(decision.refused.get(fieldAt(operationOf(document).selectionSet, 'customer'))!.message).toMatch(/\$id/);
  });
});

describe('fragments', () => {
  it('a refused field inside a named fragment is the FieldNode of the fragment definition, removed there', async () => {
    const { document, decide } = compile('{ viewer { ...Mine } again: viewer { id ...Mine } } fragment Mine on Viewer { id customer { id } }');
    const decision = await decide(ada);
    expect([...decision.refused.keys()]).toEqual([fieldAt(fragmentOf(document, 'Mine').selectionSet, 'customer')]);
    expect(decision.refusals).toHaveLength(1);
    expect(printed(decision)).toBe(same('{ viewer { ...Mine } again: viewer { id ...Mine } } fragment Mine on Viewer { id }'));
  });

  it('a fragment left empty is removed with its spreads, an inline fragment left empty too', async () => {
    const { decide } = compile('{ viewer { id ...Pay ... on Viewer { customer { name } } } } fragment Pay on Viewer { customer { id } }');
    const decision = await decide(ada);
    expect(refusedFields(decision)).toEqual(['customer', 'customer']);
    expect(printed(decision)).toBe(same('{ viewer { id } }'));
  });

  it('root fields spread from a fragment on Query are checked too', async () => {
    const { decide } = compile('{ ...Root products { nodes { id } } } fragment Root on Query { customers { nodes { id } } }');
    const decision = await decide(anonymous);
    expect(refusedFields(decision)).toEqual(['customers']);
    expect(printed(decision)).toBe(same('{ products { nodes { id } } }'));
  });
});

describe('fragments on abstract types', () => {
  // The supergraph has no interface or union yet: a schema of its own, with Viewer behind both.
  const abstract = buildSchema(`
    interface Account { id: ID! customer: String }
    type Viewer implements Account { id: ID! customer: String files: [String] }
    type Team implements Account { id: ID! customer: String }
    union Anything = Viewer | Team
    type Query { me: Account anything: [Anything] ping: String }
  `);
  const given: AccessRules = { Query: { me: authenticated, anything: authenticated, ping: publicAccess }, Viewer: { customer: scope('payments:read') } };
  const abstractRules = shieldRules(accessPolicy(abstract, given).rules);

  it('a rule on Viewer.customer applies wherever customer is selected on something that may be a Viewer', async () => {
    const { document, decide } = compile('{ me { id customer } anything { ... on Account { customer } ... on Team { teamCustomer: customer } ... on Viewer { files } } }', {
      on: abstract,
      with: abstractRules,
    });
    const decision = await decide(ada);
    const operation = operationOf(document);
    const onAccount = fieldAt(operation.selectionSet, 'anything').selectionSet!.selections[0]!;
    if (onAccount.kind !== Kind.INLINE_FRAGMENT) throw new Error('not an inline fragment');
    expect([...decision.refused.keys()]).toEqual([fieldAt(operation.selectionSet, 'me', 'customer'), fieldAt(onAccount.selectionSet, 'customer')]);
    expect(decision.refusals.map((r) => `${r.typeName}.${r.fieldName}`)).toEqual(['Viewer.customer', 'Viewer.customer']);
    // On a Team, customer has no rule.
    expect(printed(decision)).toBe(same('{ me { id } anything { ... on Team { teamCustomer: customer } ... on Viewer { files } } }'));
    expect((await decide(payer)).refused.size).toBe(0);
  });

  it('named fragments on an interface, spread on an object type', async () => {
    const { decide } = compile('{ me { ...Acc } } fragment Acc on Account { id customer }', { on: abstract, with: abstractRules });
    expect(printed(await decide(ada))).toBe(same('{ me { ...Acc } } fragment Acc on Account { id }'));
  });
});

describe('@skip and @include', () => {
  it('a skipped field is not checked; the same compiled operation decides per variables', async () => {
    const { document, decide } = compile('query($noViewer: Boolean!) { viewer @skip(if: $noViewer) { id } products(first: 1) { nodes { id } } }');
    const skipped = await decide(anonymous, { noViewer: true });
    expect(skipped.refused.size).toBe(0);
    expect(skipped.document).toBe(document);
    const kept = await decide(anonymous, { noViewer: false });
    expect(codes(kept)).toEqual(['UNAUTHENTICATED']);
    expect(printed(kept)).toBe(same('{ products(first: 1) { nodes { id } } }'));
  });

  it('on fragment spreads and inline fragments, literal or variable, nested', async () => {
    const { document, decide } = compile(
      'query($pay: Boolean!) { viewer { id ...Pay @include(if: $pay) ... @skip(if: true) { customer { name } } } customers @include(if: false) { nodes { id } } } fragment Pay on Viewer { customer { id } }',
    );
    const notPaying = await decide(ada, { pay: false });
    expect(notPaying.refused.size).toBe(0);
    expect(notPaying.document).toBe(document);
    const paying = await decide(ada, { pay: true });
    expect([...paying.refused.keys()]).toEqual([fieldAt(fragmentOf(document, 'Pay').selectionSet, 'customer')]);
    // The fragment is left empty: its spread goes, and so does the variable only the spread used.
    expect(printed(paying)).toBe(same('{ viewer { id ... @skip(if: true) { customer { name } } } customers @include(if: false) { nodes { id } } }'));
  });

  it('a field under a fragment selected twice counts once, if any of its places is selected', async () => {
    const { document, decide } = compile('query($a: Boolean!, $b: Boolean!) { viewer { ...Pay @include(if: $a) ...Pay @include(if: $b) } } fragment Pay on Viewer { id customer { id } }');
    const customer = fieldAt(fragmentOf(document, 'Pay').selectionSet, 'customer');
    expect((await decide(ada, { a: false, b: false })).refused.size).toBe(0);
    expect([...(await decide(ada, { a: false, b: true })).refused.keys()]).toEqual([customer]);
    expect([...(await decide(ada, { a: true, b: true })).refused.keys()]).toEqual([customer]);
  });
});

describe('when every root field is refused', () => {
  it('there is no document: nothing to plan', async () => {
    const { decide } = compile('{ viewer { id } customers { nodes { id } } ...Root } fragment Root on Query { buckets { name } }');
    const decision = await decide(anonymous);
    expect(decision.document).toBeNull();
    expect(refusedFields(decision)).toEqual(['viewer', 'customers', 'buckets']);
    expect(decision.key).toBe('0,1,2');
  });

  it('mutations are refused with their arguments, for the audit trail', async () => {
    const { decide } = compile('mutation Delete($key: String!) { deleteObject(bucket: "files", key: $key) { key deleted } }');
    const refused = await decide(ada, { key: 'customers/cus_ada/a.txt' });
    expect(refused.document).toBeNull();
    expect(refused.refusals).toMatchObject([{ typeName: 'Mutation', fieldName: 'deleteObject', args: { bucket: 'files', key: 'customers/cus_ada/a.txt' }, error: { extensions: { code: 'FORBIDDEN' } } }]);
    expect((await decide(writer, { key: 'customers/cus_ada/a.txt' })).refused.size).toBe(0);
    expect(codes(await decide(writer, { key: 'customers/cus_bob/a.txt' }))).toEqual(['FORBIDDEN']);
  });
});

describe('root fields without a rule', () => {
  it('are refused to everyone, admins included', async () => {
    const given = accessRulesOf(providers);
    const { tweet: _unruled, ...query } = given['Query']!;
    const partial = accessPolicy(schema, { ...given, Query: query });
    expect(partial.unruled).toEqual(['Query.tweet']);
    const { decide } = compile('{ tweet(id: "1") { id } products { nodes { id } } }', { with: shieldRules(partial.rules) });
    const decision = await decide(admin);
    expect(refusedFields(decision)).toEqual(['tweet']);
    expect(codes(decision)).toEqual(['FORBIDDEN']);
    expect(printed(decision)).toBe(same('{ products { nodes { id } } }'));
  });

  it('are refused even when the rules given have none at all for the root type (deny by default)', async () => {
    const { decide } = compile('{ products { nodes { id } } }', { with: {} });
    expect(codes(await decide(admin))).toEqual(['FORBIDDEN']);
  });
});

describe('custom graphql-shield rules', () => {
  const isAdminRule = rule('is-admin', { cache: 'contextual' })((_parent: unknown, _args: unknown, ctx: OperationCheckContext) => isAdmin(ctx.caller));
  const signedIn = rule('signed-in', { cache: 'contextual' })((_parent: unknown, _args: unknown, ctx: OperationCheckContext) => ctx.caller.kind === 'user' || unauthenticated());
  const ownCustomer = rule('own-customer')((_parent: unknown, args: Record<string, unknown>, ctx: OperationCheckContext) => ctx.caller.kind === 'user' && args['id'] === ctx.caller.principal.customerId);
  const isBlocked = rule('is-blocked')((_parent: unknown, _args: unknown, ctx: OperationCheckContext) => ctx.caller.kind === 'user' && ctx.caller.principal.subject === 'user-blocked');
  const custom: ShieldRules = {
    ...rules,
    Query: {
      ...rules['Query'],
      customer: or(isAdminRule, and(signedIn, ownCustomer)),
      products: and(allow, not(isBlocked, 'Not for you')),
      customers: not(deny),
      tweet: deny,
      buckets: not(signedIn, new GraphQLError('Signed-in callers use viewer.files', { extensions: { code: 'BAD_USER_INPUT' } })),
    },
  };

  it('and, or, not, allow and deny work, and keep the rules’ errors', async () => {
    const { decide } = compile('query($id: ID!) { customer(id: $id) { id } products { nodes { id } } customers { nodes { id } } tweet(id: "1") { id } buckets { name } }', { with: custom });
    const asAnonymous = await decide(anonymous, { id: 'cus_ada' });
    expect(Object.fromEntries([...asAnonymous.refused].map(([node, error]) => [node.name.value, error.extensions['code']]))).toEqual({ customer: 'UNAUTHENTICATED', tweet: 'FORBIDDEN' });
    const asOwner = await decide(payer, { id: 'cus_ada' });
    expect(Object.fromEntries([...asOwner.refused].map(([node, error]) => [node.name.value, `${error.extensions['code']}: ${error.message}`]))).toEqual({
      tweet: 'FORBIDDEN: Not allowed',
      buckets: 'BAD_USER_INPUT: Signed-in callers use viewer.files',
    });
    expect(codes(await decide(payer, { id: 'cus_bob' }))).toEqual(['FORBIDDEN', 'FORBIDDEN', 'BAD_USER_INPUT']);
    expect(refusedFields(await decide(admin, { id: 'cus_bob' }))).toEqual(['tweet', 'buckets']);
    const blocked = await decide(await callerWith({ sub: 'user-blocked', scope: 'admin' }), { id: 'x' });
    // A string error is a message without a code: it is FORBIDDEN.
    expect(blocked.refused.get([...blocked.refused.keys()].find((node) => node.name.value === 'products')!)).toMatchObject({ message: 'Not for you', extensions: { code: 'FORBIDDEN' } });
  });

  it('get info about the field, and no parent (a rule that reads one refuses)', async () => {
    const seen: string[] = [];
    const reading = rule('reads-info')((_parent: unknown, _args: unknown, _ctx: unknown, info: { parentType: { name: string }; fieldName: string; path: { key: string | number } }) => {
      seen.push(`${info.parentType.name}.${info.fieldName}@${info.path.key}`);
      return true;
    });
    const readsParent = rule('reads-parent')((parent: { id: string }) => parent.id === 'x');
    const { decide } = compile('{ viewer { mine: customer { id } } products { nodes { id } } }', {
      with: { ...rules, Viewer: { customer: reading }, Query: { ...rules['Query'], products: readsParent } },
    });
    const decision = await decide(ada);
    expect(seen).toEqual(['Viewer.customer@mine']);
    expect(refusedFields(decision)).toEqual(['products']);
  });

  it('shield’s cache lives for one decision: nothing leaks from one caller to the next', async () => {
    let calls = 0;
    const counted = rule('counted', { cache: 'contextual' })((_parent: unknown, _args: unknown, ctx: OperationCheckContext) => {
      calls += 1;
      return isAdmin(ctx.caller);
    });
    const { decide } = compile('{ a: products { nodes { id } } b: products { nodes { id } } c: products { nodes { id } } }', { with: { ...rules, Query: { ...rules['Query'], products: counted } } });
    expect((await decide(admin)).refused.size).toBe(0);
    expect(calls).toBe(1); // three selections, one evaluation
    // Had the admin's `true` outlived its decision, the anonymous caller would get it.
    expect((await decide(anonymous)).document).toBeNull();
    calls = 0;
    expect((await decide(admin)).refused.size).toBe(0);
    expect(calls).toBe(1);
  });
});

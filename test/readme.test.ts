import { readFileSync } from 'node:fs';
import { parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createSupergraphSchema } from '../gateway/execute/supergraph-schema.ts';
import { testPrincipalTokens } from './support/tokens.ts';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const examples = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((match) => match[1]!);

describe('the README', () => {
  it('shows only queries the supergraph accepts', () => {
    const { schema } = createSupergraphSchema({ supergraphSdl: readFileSync(new URL('../schema/supergraph.graphql', import.meta.url), 'utf8'), tokens: testPrincipalTokens() });
    expect(examples.length).toBeGreaterThan(0);
    for (const example of examples) expect(validate(schema, parse(example)).map((error) => error.message)).toEqual([]);
  });
});

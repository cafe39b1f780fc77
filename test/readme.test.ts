import { readFileSync } from 'node:fs';
import { parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createSupergraphPlanner } from '../gateway/engine/query-planner.ts';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const examples = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((match) => match[1]!);

describe('the README', () => {
  it('shows only queries the supergraph accepts', () => {
    const { apiSchema: schema } = createSupergraphPlanner(readFileSync(new URL('../schema/supergraph.graphql', import.meta.url), 'utf8'));
    expect(examples.length).toBeGreaterThan(0);
    for (const example of examples) expect(validate(schema, parse(example)).map((error) => error.message)).toEqual([]);
  });
});

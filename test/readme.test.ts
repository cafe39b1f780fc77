import { readFileSync } from 'node:fs';
import { getOperationAST, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createSupergraphPlanner } from '../gateway/engine/query-planner.ts';
import { DEFAULT_LIMITS } from '../gateway/limits.ts';
import { estimateOperationCost } from '../gateway/operation-cost.ts';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const examples = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((match) => match[1]!);

describe('the README', () => {
  it('shows only queries the supergraph accepts', () => {
    const { apiSchema: schema } = createSupergraphPlanner(readFileSync(new URL('../schema/supergraph.graphql', import.meta.url), 'utf8'));
    expect(examples.length).toBeGreaterThan(0);
    for (const example of examples) expect(validate(schema, parse(example)).map((error) => error.message)).toEqual([]);
  });

  it('shows only queries the default cost limit lets through', () => {
    const { apiSchema: schema } = createSupergraphPlanner(readFileSync(new URL('../schema/supergraph.graphql', import.meta.url), 'utf8'));
    for (const example of examples) {
      const document = parse(example);
      expect(estimateOperationCost({ schema, document, operation: getOperationAST(document)!, variables: {} })).toBeLessThanOrEqual(DEFAULT_LIMITS.maxCost);
    }
  });
});

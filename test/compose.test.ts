import { readFileSync } from 'node:fs';
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { composeSchemaFolder } from '../app/compose-schema-folder.ts';
import { composeSupergraph } from '../gateway/compose/compose-supergraph.ts';

describe('the committed supergraph', () => {
  it('is what composing schema/*.graphql produces now', () => {
    const outcome = composeSchemaFolder();
    expect(outcome.ok ? undefined : outcome.problems).toBeUndefined();
    const committed = readFileSync(new URL('../schema/supergraph.graphql', import.meta.url), 'utf8');
    // On failure: run `npm run compose` and commit schema/supergraph.graphql.
    expect(outcome.ok && outcome.supergraphSdl).toBe(committed);
  });
});

describe('composition errors', () => {
  const sdl = (body: string) => parse(`extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])\n${body}`);

  it('names each problem with its code, readably', () => {
    const outcome = composeSupergraph([
      { name: 'a', url: 'http://a/graphql', typeDefs: sdl('type Query { thing: Thing } type Thing { id: ID! }') },
      { name: 'b', url: 'http://b/graphql', typeDefs: sdl('type Query { other: Thing } type Thing { id: String! }') },
    ]);
    expect(outcome.ok).toBe(false);
    const problems = outcome.ok ? [] : outcome.problems;
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.join('\n')).toMatch(/^\[[A-Z_]+\] .*Thing/m);
  });
});

import { readFileSync } from 'node:fs';
import { parse, type DocumentNode } from 'graphql';

/** A subgraph's SDL from schema/<name>.graphql, the one source its types, codegen and composition share. */
export function loadSubgraphTypeDefs(name: string): DocumentNode {
  return parse(readFileSync(new URL(`../schema/${name}.graphql`, import.meta.url), 'utf8'));
}

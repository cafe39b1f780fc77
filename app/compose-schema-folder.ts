import { readdirSync, readFileSync } from 'node:fs';
import { parse } from 'graphql';
import { composeSupergraph } from '../gateway/compose/compose-supergraph.ts';
import { defaultSubgraphUrl, providers } from './providers.ts';

export type FolderComposition = { ok: true; supergraphSdl: string; subgraphs: string[] } | { ok: false; problems: string[] };

/**
 * Composes schema/<name>.graphql for every provider. Each subgraph's URL in the supergraph is its
 * default local address; deployments override it (SUBGRAPH_URL_<NAME>, or `npm start` itself).
 */
export function composeSchemaFolder(folder = new URL('../schema/', import.meta.url)): FolderComposition {
  const files = readdirSync(folder).filter((f) => f.endsWith('.graphql') && f !== 'supergraph.graphql');
  const names = providers.map((p) => p.name);
  const problems = [
    ...files.filter((f) => !names.includes(f.replace(/\.graphql$/, ''))).map((f) => `schema/${f} has no provider in app/providers.ts`),
    ...names.filter((n) => !files.includes(`${n}.graphql`)).map((n) => `provider "${n}" has no schema/${n}.graphql`),
  ];
  if (problems.length > 0) return { ok: false, problems };
  const sources = [];
  for (const [index, name] of names.entries()) {
    try {
      sources.push({ name, url: defaultSubgraphUrl(index), typeDefs: parse(readFileSync(new URL(`${name}.graphql`, folder), 'utf8')) });
    } catch (error) {
      problems.push(`schema/${name}.graphql: ${(error as Error).message}`);
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  const outcome = composeSupergraph(sources);
  return outcome.ok ? { ...outcome, subgraphs: names } : outcome;
}

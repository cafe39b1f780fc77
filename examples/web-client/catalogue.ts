/**
 * What a frontend writes: a document through the generated `graphql()` (typed from the gateway's schema),
 * and a request that sends only its id, as trusted documents expect in production.
 */
import type { ResultOf, VariablesOf } from '@graphql-typed-document-node/core';
import { graphql } from './gql/index.ts';

export const CatalogueQuery = graphql(`
  query Catalogue($first: Int!) {
    products(first: $first) {
      nodes {
        name
        prices {
          unitAmount {
            formatted
          }
        }
      }
    }
  }
`);

export type Catalogue = ResultOf<typeof CatalogueQuery>;

/** The catalogue, asked for by document id (`documentId`), never by text. */
export async function fetchCatalogue(url: string, variables: VariablesOf<typeof CatalogueQuery>): Promise<{ data?: Catalogue; errors?: { message: string; extensions?: { code?: string } }[] }> {
  const documentId = (CatalogueQuery as { __meta__?: { hash?: string } }).__meta__?.hash;
  if (!documentId) throw new Error('generate the client with persisted documents (npm run codegen:client)');
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ documentId, variables }) });
  return (await response.json()) as { data?: Catalogue; errors?: { message: string; extensions?: { code?: string } }[] };
}

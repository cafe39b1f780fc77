import type { CodegenConfig } from '@graphql-codegen/cli';
import { readFileSync } from 'node:fs';
import { printSchema } from 'graphql';
import { createSupergraphPlanner } from './gateway/engine/query-planner.ts';
import { withProviderStatus } from './gateway/execute/provider-status.ts';

/**
 * `npm run codegen:client`: typed documents for frontend code, from the schema clients see (the
 * supergraph's API schema, plus the gateway's own `providerStatus`), with GraphQL Code Generator's client
 * preset. Each document gets its hash and `persisted-documents.json` lists them all: the manifest the
 * gateway's trusted documents read (GATEWAY_PERSISTED_DOCUMENTS).
 *
 * CLIENT_DOCUMENTS (a glob) and CLIENT_OUT (a folder) point it at your own app; by default it generates
 * for the example client in examples/web-client/.
 */
const apiSchema = createSupergraphPlanner(readFileSync(new URL('./schema/supergraph.graphql', import.meta.url), 'utf8')).apiSchema;
const schema = printSchema(withProviderStatus(apiSchema, async () => ({})));
const documents = process.env['CLIENT_DOCUMENTS'] ?? 'examples/web-client/*.ts';
const out = process.env['CLIENT_OUT'] ?? 'examples/web-client/gql/';

const config: CodegenConfig = {
  schema,
  documents: [documents, `!${out}**`],
  ignoreNoDocuments: false,
  // Relative imports with an extension, as Node's ESM resolution (and this project's tsconfig) requires.
  emitLegacyCommonJSImports: false,
  generates: {
    [out]: {
      preset: 'client',
      presetConfig: { persistedDocuments: true, fragmentMasking: false },
      config: { useTypeImports: true, enumsAsTypes: true, scalars: { DateTime: 'string' } },
    },
  },
};
export default config;

/**
 * `npm run compose`: composes every subgraph SDL in schema/ into schema/supergraph.graphql.
 * `--check` only compares, and fails when the committed file is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { composeSchemaFolder } from '../app/compose-schema-folder.ts';

const { values } = parseArgs({ options: { check: { type: 'boolean', default: false } } });
const outcome = composeSchemaFolder();
if (!outcome.ok) {
  process.stderr.write(`Composition failed:\n${outcome.problems.map((p) => `  - ${p}`).join('\n')}\n`);
  process.exit(1);
}
const target = new URL('../schema/supergraph.graphql', import.meta.url);
const current = (() => {
  try {
    return readFileSync(target, 'utf8');
  } catch {
    return '';
  }
})();
if (values.check) {
  if (current !== outcome.supergraphSdl) {
    process.stderr.write('schema/supergraph.graphql is stale: run `npm run compose` and commit the result.\n');
    process.exit(1);
  }
  process.stdout.write('schema/supergraph.graphql is current.\n');
} else {
  writeFileSync(target, outcome.supergraphSdl);
  process.stdout.write(`Wrote schema/supergraph.graphql (${outcome.subgraphs.join(', ')}).\n`);
}

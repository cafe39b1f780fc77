import { Kind, type DocumentNode, type FieldNode, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import type { GitHubGraphQLError } from './github-errors.ts';

/**
 * The OAuth scopes GitHub asks of a classic token before running an operation, as far as the emulator
 * models them: every mutation field needs `public_repo` (starring, opening issues: what the subgraph
 * writes), which `repo` includes. Reads of public data need none. (GitHub's real table is per field and
 * larger; reads of private repositories are not checked here.)
 */
const MUTATION_SCOPES: readonly string[] = ['public_repo'];

/** Scopes that include others, as GitHub's do (`repo` grants `public_repo`…). */
const INCLUDED: Readonly<Record<string, readonly string[]>> = {
  repo: ['public_repo', 'repo:status', 'repo_deployment', 'repo:invite', 'security_events'],
  'admin:org': ['write:org', 'read:org'],
  'write:org': ['read:org'],
  user: ['read:user', 'user:email', 'user:follow'],
};

function grants(granted: readonly string[], scope: string): boolean {
  return granted.some((held) => held === scope || (INCLUDED[held]?.includes(scope) ?? false));
}

/**
 * GitHub's refusal of an operation the token's scopes do not cover: HTTP 200, `{ errors: [{ type:
 * "INSUFFICIENT_SCOPES", locations, message }] }`, nothing run and nothing charged. Undefined when covered.
 */
export function insufficientScopes(
  document: DocumentNode,
  operation: OperationDefinitionNode,
  granted: readonly string[],
): GitHubGraphQLError | undefined {
  if (operation.operation !== 'mutation') return undefined;
  if (MUTATION_SCOPES.some((scope) => grants(granted, scope))) return undefined;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const field = firstField(operation.selectionSet, fragments);
  if (!field) return undefined;
  const list = (scopes: readonly string[]) => `[${scopes.map((scope) => `'${scope}'`).join(', ')}]`;
  return {
    type: 'INSUFFICIENT_SCOPES',
    locations: field.loc ? [{ line: field.loc.startToken.line, column: field.loc.startToken.column }] : [],
    message:
      `Your token has not been granted the required scopes to execute this query. The '${field.name.value}' field requires one of ` +
      `the following scopes: ${list(MUTATION_SCOPES)}, but your token has only been granted the: ${list(granted)} scopes. ` +
      'Please modify your token\'s scopes at: https://github.com/settings/tokens.',
  };
}

function firstField(selectionSet: SelectionSetNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>): FieldNode | undefined {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) return selection;
    const inner =
      selection.kind === Kind.INLINE_FRAGMENT ? selection.selectionSet : fragments.get(selection.name.value)?.selectionSet;
    const found = inner ? firstField(inner, fragments) : undefined;
    if (found) return found;
  }
  return undefined;
}

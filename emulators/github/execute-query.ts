import {
  execute,
  getArgumentValues,
  getOperationAST,
  getVariableValues,
  GraphQLError,
  Kind,
  parse,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import type { GitHubContext } from './context.ts';
import { formatExecutionError, type GitHubGraphQLError } from './github-errors.ts';
import { parseErrorLikeGitHub } from './parse-errors.ts';
import { MAX_NODE_COUNT, queryCost, type QueryCost } from './query-cost.ts';
import { resolveField } from './resolvers/index.ts';
import { validateLikeGitHub } from './validation-errors.ts';

/** A query that passed every check GitHub makes before running it. */
export interface PreparedQuery {
  readonly document: DocumentNode;
  readonly operation: OperationDefinitionNode;
  /** As the client sent them; graphql-js coerces them again when executing. */
  readonly variables: Readonly<Record<string, unknown>>;
  readonly cost: QueryCost;
  /** `rateLimit(dryRun: true)`: GitHub reports the cost without charging it. */
  readonly dryRun: boolean;
}

/** A JSON response body: GitHub sends `data` first, then `errors`, and no `data` for requests it refused. */
export interface GraphQLResponseBody {
  data?: Record<string, unknown> | null;
  errors?: GitHubGraphQLError[];
}

/**
 * Everything GitHub checks before executing, in its order: the request's shape, syntax, validation
 * against the schema, the operation to run, variables, and the node limit. Refusals come back as
 * GitHub's `{ errors }` (HTTP 200, no `data`).
 */
export function prepareQuery(schema: GraphQLSchema, request: unknown): PreparedQuery | { refused: GraphQLResponseBody } {
  const { query, variables, operationName } = (typeof request === 'object' && request !== null ? request : {}) as Record<string, unknown>;
  if (typeof query !== 'string') return refuse({ message: 'A query attribute must be specified and must be a string.' });
  const rawVariables = variablesOf(variables);
  if (rawVariables === undefined) return refuse({ message: 'Variables are invalid JSON.' });

  let document: DocumentNode;
  try {
    document = parse(query);
  } catch (error) {
    if (error instanceof GraphQLError) return refuse(parseErrorLikeGitHub(error, query));
    throw error;
  }

  const invalid = validateLikeGitHub(schema, document);
  if (invalid.length > 0) return { refused: { errors: invalid } };

  const name = typeof operationName === 'string' && operationName !== '' ? operationName : undefined;
  const operation = getOperationAST(document, name);
  if (!operation) return refuse({ message: name === undefined ? 'An operation name is required' : `No operation named "${name}"` });
  if (!schema.getRootType(operation.operation)) {
    // GitHub's schema has no subscription root: graphql-ruby refuses those in validation.
    const start = operation.loc?.startToken;
    return refuse({
      message: 'Schema is not configured for subscriptions',
      locations: start ? [{ line: start.line, column: start.column }] : [],
      path: ['subscription'],
      extensions: { code: 'missingSubscriptionConfiguration' },
    });
  }

  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], rawVariables);
  if (coerced.errors) return { refused: { errors: coerced.errors.map((error) => variableError(error, operation, rawVariables)) } };

  const fragments = fragmentsOf(document);
  const cost = queryCost(schema, operation, fragments, coerced.coerced);
  if (cost.nodeCount > MAX_NODE_COUNT) {
    const [requested, limit] = [cost.nodeCount, MAX_NODE_COUNT].map((count) => count.toLocaleString('en-US'));
    return refuse({
      type: 'MAX_NODE_LIMIT_EXCEEDED',
      message: `This query requests up to ${requested} possible nodes which exceeds the maximum limit of ${limit}.`,
    });
  }
  return { document, operation, variables: rawVariables, cost, dryRun: isDryRun(schema, operation, coerced.coerced) };
}

export async function runQuery(schema: GraphQLSchema, query: PreparedQuery, context: GitHubContext): Promise<GraphQLResponseBody> {
  const result = await execute({
    schema,
    document: query.document,
    operationName: query.operation.name?.value,
    variableValues: query.variables,
    contextValue: context,
    fieldResolver: resolveField,
  });
  return { data: result.data ?? null, ...(result.errors?.length ? { errors: result.errors.map(formatExecutionError) } : {}) };
}

function refuse(error: GitHubGraphQLError): { refused: GraphQLResponseBody } {
  return { refused: { errors: [error] } };
}

/** Variables may come as an object, as null, or (from some clients) as a JSON string. */
function variablesOf(value: unknown): Record<string, unknown> | undefined {
  if (value === undefined || value === null) return {};
  if (typeof value === 'string') {
    if (value.trim() === '') return {};
    try {
      return variablesOf(JSON.parse(value));
    } catch {
      return undefined;
    }
  }
  return typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/**
 * graphql-ruby's variable errors: `Variable $login of type String! was provided invalid value` with the
 * value and what is wrong with it in `extensions`.
 */
function variableError(error: GraphQLError, operation: OperationDefinitionNode, values: Record<string, unknown>): GitHubGraphQLError {
  const name = /Variable "\$([^"]+)"/.exec(error.message)?.[1] ?? '';
  const definition = operation.variableDefinitions?.find((candidate) => candidate.variable.name.value === name);
  const type = definition ? printType(definition.type) : '';
  const [, at = '', detail = ''] = /(?: at "([^"]*)")?; (.*)$/.exec(error.message) ?? [];
  const explanation = /was not provided|must not be null/.test(error.message) ? 'Expected value to not be null' : detail;
  return {
    message: `Variable $${name} of type ${type} was provided invalid value`,
    locations: error.locations ? [...error.locations] : [],
    extensions: {
      value: values[name] ?? null,
      problems: [{ path: at.split('.').slice(1).map((key) => (/^\d+$/.test(key) ? Number(key) : key)), explanation }],
    },
  };
}

function printType(type: NonNullable<OperationDefinitionNode['variableDefinitions']>[number]['type']): string {
  switch (type.kind) {
    case Kind.NON_NULL_TYPE:
      return `${printType(type.type)}!`;
    case Kind.LIST_TYPE:
      return `[${printType(type.type)}]`;
    default:
      return type.name.value;
  }
}

function fragmentsOf(document: DocumentNode): Record<string, FragmentDefinitionNode> {
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
  }
  return fragments;
}

/** Whether the operation asks `rateLimit(dryRun: true)` at its top level. */
function isDryRun(schema: GraphQLSchema, operation: OperationDefinitionNode, variables: Record<string, unknown>): boolean {
  const field = schema.getQueryType()?.getFields()['rateLimit'];
  if (!field || operation.operation !== 'query') return false;
  return operation.selectionSet.selections.some(
    (selection) => selection.kind === Kind.FIELD && selection.name.value === 'rateLimit' && getArgumentValues(field, selection, variables)['dryRun'] === true,
  );
}

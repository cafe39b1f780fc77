import type { GraphQLError, SourceLocation } from 'graphql';

/** GitHub's `type` for errors raised while resolving fields. */
export type GitHubErrorType =
  | 'NOT_FOUND'
  | 'FORBIDDEN'
  | 'UNPROCESSABLE'
  | 'MISSING_PAGINATION_BOUNDARIES'
  | 'EXCESSIVE_PAGINATION'
  | 'INVALID_CURSOR_ARGUMENTS'
  | 'MAX_NODE_LIMIT_EXCEEDED';

/** Thrown by resolvers; graphql-js adds the path and locations, formatExecutionError the rest. */
export class GitHubFieldError extends Error {
  readonly type: GitHubErrorType;
  constructor(type: GitHubErrorType, message: string) {
    super(message);
    this.type = type;
  }
}

export const notFound = (message: string): GitHubFieldError => new GitHubFieldError('NOT_FOUND', message);

/** One entry of a response's `errors`, in the key order GitHub sends. */
export interface GitHubGraphQLError {
  type?: string;
  message: string;
  locations?: SourceLocation[];
  path?: readonly (string | number)[];
  extensions?: Record<string, unknown>;
}

/**
 * GitHub's shape for an execution error: `{ type, path, locations, message }` for the errors it raises
 * on purpose (NOT_FOUND…), graphql's `{ message, locations, path }` for anything else.
 */
export function formatExecutionError(error: GraphQLError): GitHubGraphQLError {
  const locations = error.locations ? [...error.locations] : undefined;
  if (error.originalError instanceof GitHubFieldError) {
    return { type: error.originalError.type, path: error.path, locations, message: error.message };
  }
  return { message: error.message, locations, path: error.path };
}

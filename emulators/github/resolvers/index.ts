import {
  getNamedType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLFieldResolver,
  type GraphQLOutputType,
} from 'graphql';
import { emptyConnection } from '../connection.ts';
import type { GitHubContext, TypeResolvers } from '../context.ts';
import { mutationResolvers } from './mutations.ts';
import { organizationResolvers, userResolvers } from './owners.ts';
import { queryResolvers } from './query.ts';
import { issueResolvers, repositoryResolvers } from './repository.ts';

const RESOLVERS: Readonly<Record<string, TypeResolvers>> = {
  Query: queryResolvers,
  Mutation: mutationResolvers,
  User: userResolvers,
  Organization: organizationResolvers,
  Repository: repositoryResolvers,
  Issue: issueResolvers,
};

/**
 * The one field resolver handed to graphql-js: the type's own resolver when there is one, else the
 * record's property of the same name (records mirror GitHub's field names), else a neutral value for
 * the parts of GitHub's schema the emulator does not model (see unmodelledValue).
 */
export const resolveField: GraphQLFieldResolver<unknown, GitHubContext> = (source, args, context, info) => {
  const resolver = RESOLVERS[info.parentType.name]?.[info.fieldName];
  // Each resolver declares its source and arguments; graphql-js has checked both against the schema.
  if (resolver) return resolver(source as never, args as never, context, info);
  if (typeof source === 'object' && source !== null && info.fieldName in source) {
    return (source as Record<string, unknown>)[info.fieldName];
  }
  return unmodelledValue(info.returnType, source);
};

/**
 * What a field the emulator does not model answers: null where GitHub allows it; where it does not, an
 * empty list or connection, false, 0 or '' (a user's `gists`, `isHireable`…), and dates and URLs from
 * the object itself. Non-null objects and enums stay unanswered: graphql-js then reports the field.
 */
function unmodelledValue(type: GraphQLOutputType, source: unknown): unknown {
  if (!isNonNullType(type)) return null;
  const inner = type.ofType;
  if (isListType(inner)) return [];
  const named = getNamedType(inner);
  if (isObjectType(named) && named.name.endsWith('Connection')) return emptyConnection();
  if (!isScalarType(named)) return undefined;
  const record = typeof source === 'object' && source !== null ? (source as Record<string, unknown>) : {};
  switch (named.name) {
    case 'Boolean':
      return false;
    case 'Int':
    case 'Float':
      return 0;
    case 'URI':
      return record['url'] ?? '';
    case 'DateTime':
      return record['createdAt'] ?? '1970-01-01T00:00:00Z';
    default:
      return '';
  }
}

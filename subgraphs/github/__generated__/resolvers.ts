import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { ViewerModel } from '../../../kit/access/viewer.ts';
import type { GitHubUserModel, GitHubRepositoryModel, GitHubIssueModel } from '../models.ts';
import type { DomainEvent } from '../../../kit/events/event-bus.ts';
import type { GithubContext } from '../context.ts';
export type Maybe<T> = T | null;
export type InputMaybe<T> = T | null;
export type RequireFields<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: NonNullable<T[P]> };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** An instant in time, as an ISO-8601 string in UTC. */
  DateTime: { input: Date; output: Date | string; }
  _FieldSet: { input: unknown; output: unknown; }
};

export type CreateGitHubIssueInput = {
  body?: InputMaybe<Scalars['String']['input']>;
  nameWithOwner: Scalars['String']['input'];
  title: Scalars['String']['input'];
};

export type GitHubIssue = {
  __typename?: 'GitHubIssue';
  createdAt: Scalars['String']['output'];
  number: Scalars['Int']['output'];
  repository: GitHubRepository;
  state: Scalars['String']['output'];
  title: Scalars['String']['output'];
  url: Scalars['String']['output'];
};

export type GitHubRepository = {
  __typename?: 'GitHubRepository';
  description: Maybe<Scalars['String']['output']>;
  forks: Scalars['Int']['output'];
  isArchived: Scalars['Boolean']['output'];
  /** Private repositories are seen only through their owner's (or a member's) connected account. */
  isPrivate: Scalars['Boolean']['output'];
  language: Maybe<Scalars['String']['output']>;
  name: Scalars['String']['output'];
  /** owner/name */
  nameWithOwner: Scalars['String']['output'];
  openIssues: Scalars['Int']['output'];
  owner: Maybe<GitHubUser>;
  stars: Scalars['Int']['output'];
  topics: Array<Scalars['String']['output']>;
  url: Scalars['String']['output'];
};

export type GitHubRepositoryOrder =
  | 'CREATED'
  | 'NAME'
  | 'STARS'
  | 'UPDATED';

/** A GitHub user, joinable from other subgraphs by `login`. */
export type GitHubUser = {
  __typename?: 'GitHubUser';
  avatarUrl: Maybe<Scalars['String']['output']>;
  bio: Maybe<Scalars['String']['output']>;
  company: Maybe<Scalars['String']['output']>;
  followers: Scalars['Int']['output'];
  following: Scalars['Int']['output'];
  location: Maybe<Scalars['String']['output']>;
  login: Scalars['String']['output'];
  name: Maybe<Scalars['String']['output']>;
  /** Public repositories the user owns, most starred first by default. Up to 50. */
  repositories: Maybe<Array<GitHubRepository>>;
  /** How many public repositories the user owns. */
  repositoryCount: Scalars['Int']['output'];
  url: Maybe<Scalars['String']['output']>;
};


/** A GitHub user, joinable from other subgraphs by `login`. */
export type GitHubUserRepositoriesArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
  orderBy?: InputMaybe<GitHubRepositoryOrder>;
};

export type Mutation = {
  __typename?: 'Mutation';
  createGitHubIssue: Maybe<GitHubIssue>;
  /** Stars a repository as the caller's connected GitHub account (or, without one, the configured GitHub identity when it is theirs). */
  starGitHubRepository: Maybe<GitHubRepository>;
  unstarGitHubRepository: Maybe<GitHubRepository>;
};


export type MutationCreateGitHubIssueArgs = {
  input: CreateGitHubIssueInput;
};


export type MutationStarGitHubRepositoryArgs = {
  nameWithOwner: Scalars['String']['input'];
};


export type MutationUnstarGitHubRepositoryArgs = {
  nameWithOwner: Scalars['String']['input'];
};

export type Query = {
  __typename?: 'Query';
  /** A repository; NOT_FOUND when it does not exist or is not visible. */
  githubRepository: Maybe<GitHubRepository>;
  /** A user; NOT_FOUND when the login does not exist. */
  githubUser: Maybe<GitHubUser>;
  /** Repository search with GitHub's search syntax (`graphql language:typescript`). Up to 50. */
  searchGitHubRepositories: Maybe<Array<GitHubRepository>>;
  /** The signed-in caller's own view across every provider; each subgraph contributes its fields. Null when anonymous. */
  viewer: Maybe<Viewer>;
};


export type QueryGithubRepositoryArgs = {
  name: Scalars['String']['input'];
  owner: Scalars['String']['input'];
};


export type QueryGithubUserArgs = {
  login: Scalars['String']['input'];
};


export type QuerySearchGitHubRepositoriesArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
  query: Scalars['String']['input'];
};

/** Something that happened on a repository, from GitHub's verified webhooks. */
export type RepositoryEvent = {
  __typename?: 'RepositoryEvent';
  /** GitHub's delivery id. Pass the last one received as `afterEventId` when resubscribing, to get what was missed. */
  id: Scalars['ID']['output'];
  occurredAt: Scalars['DateTime']['output'];
  /** The repository as it is now. */
  repository: Maybe<GitHubRepository>;
  /** Who did it. */
  sender: Maybe<GitHubUser>;
  /** `repository.starred`, `repository.unstarred`, `repository.pushed`, `issue.opened`, … (see README). */
  type: Scalars['String']['output'];
};

export type Subscription = {
  __typename?: 'Subscription';
  /** Activity on one repository (`owner/name`). */
  repositoryEvents: RepositoryEvent;
};


export type SubscriptionRepositoryEventsArgs = {
  afterEventId?: InputMaybe<Scalars['ID']['input']>;
  nameWithOwner: Scalars['String']['input'];
};

/** The signed-in caller. Each subgraph adds the caller's own data from its provider. */
export type Viewer = {
  __typename?: 'Viewer';
  /** The GitHub account linked to the caller, with their repositories. */
  github: Maybe<GitHubUser>;
  /**
   * The caller's own repositories and their organizations' (private ones included), most recently updated
   * first, read with the caller's connected GitHub account (connectAccount). Up to 50. CONNECTION_REQUIRED when
   * they have no usable connection (unless the configured token is their own account's).
   */
  githubRepositories: Maybe<Array<GitHubRepository>>;
  /** The caller's subject (the token's `sub`). */
  id: Scalars['ID']['output'];
};


/** The signed-in caller. Each subgraph adds the caller's own data from its provider. */
export type ViewerGithubRepositoriesArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
};



export type ResolverTypeWrapper<T> = T | Promise<T>;

export type ReferenceResolver<TResult, TReference, TContext> = (
      reference: TReference,
      context: TContext,
      info: GraphQLResolveInfo
    ) => Promise<TResult> | TResult;

      type ScalarCheck<T, S> = S extends true ? T : NullableCheck<T, S>;
      type NullableCheck<T, S> = Maybe<T> extends T ? Maybe<ListCheck<NonNullable<T>, S>> : ListCheck<T, S>;
      type ListCheck<T, S> = T extends (infer U)[] ? NullableCheck<U, S>[] : GraphQLRecursivePick<T, S>;
      export type GraphQLRecursivePick<T, S> = { [K in keyof T & keyof S]: ScalarCheck<T[K], S[K]> };
    

export type ResolverWithResolve<TResult, TParent, TContext, TArgs> = {
  resolve: ResolverFn<TResult, TParent, TContext, TArgs>;
};
export type Resolver<TResult, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = ResolverFn<TResult, TParent, TContext, TArgs> | ResolverWithResolve<TResult, TParent, TContext, TArgs>;

export type ResolverFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => Promise<TResult> | TResult;

export type SubscriptionSubscribeFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => AsyncIterable<TResult> | Promise<AsyncIterable<TResult>>;

export type SubscriptionResolveFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

export interface SubscriptionSubscriberObject<TResult, TKey extends string, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<{ [key in TKey]: TResult }, TParent, TContext, TArgs>;
  resolve?: SubscriptionResolveFn<TResult, { [key in TKey]: TResult }, TContext, TArgs>;
}

export interface SubscriptionResolverObject<TResult, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<any, TParent, TContext, TArgs>;
  resolve: SubscriptionResolveFn<TResult, any, TContext, TArgs>;
}

export type SubscriptionObject<TResult, TKey extends string, TParent, TContext, TArgs> =
  | SubscriptionSubscriberObject<TResult, TKey, TParent, TContext, TArgs>
  | SubscriptionResolverObject<TResult, TParent, TContext, TArgs>;

export type SubscriptionResolver<TResult, TKey extends string, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> =
  | ((...args: any[]) => SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>)
  | SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>;

export type TypeResolveFn<TTypes, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (
  parent: TParent,
  context: TContext,
  info: GraphQLResolveInfo
) => Maybe<TTypes> | Promise<Maybe<TTypes>>;

export type IsTypeOfResolverFn<T = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (obj: T, context: TContext, info: GraphQLResolveInfo) => boolean | Promise<boolean>;

export type NextResolverFn<T> = () => Promise<T>;

export type DirectiveResolverFn<TResult = Record<PropertyKey, never>, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = (
  next: NextResolverFn<TResult>,
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

/** Mapping of federation types */
export type FederationTypes = {
  GitHubRepository: GitHubRepository;
  GitHubUser: GitHubUser;
  Viewer: Viewer;
};

/** Mapping of federation reference types */
export type FederationReferenceTypes = {
  GitHubRepository:
    ( { __typename: 'GitHubRepository' }
    & GraphQLRecursivePick<FederationTypes['GitHubRepository'], {"nameWithOwner":true}> );
  GitHubUser:
    ( { __typename: 'GitHubUser' }
    & GraphQLRecursivePick<FederationTypes['GitHubUser'], {"login":true}> );
  Viewer:
    ( { __typename: 'Viewer' }
    & GraphQLRecursivePick<FederationTypes['Viewer'], {"id":true}> );
};



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = {
  CreateGitHubIssueInput: CreateGitHubIssueInput;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  GitHubIssue: ResolverTypeWrapper<GitHubIssueModel>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  GitHubRepository: ResolverTypeWrapper<GitHubRepositoryModel>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  GitHubRepositoryOrder: GitHubRepositoryOrder;
  GitHubUser: ResolverTypeWrapper<GitHubUserModel>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  RepositoryEvent: ResolverTypeWrapper<DomainEvent>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  Subscription: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Viewer: ResolverTypeWrapper<ViewerModel>;
};

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = {
  CreateGitHubIssueInput: CreateGitHubIssueInput;
  String: Scalars['String']['output'];
  DateTime: Scalars['DateTime']['output'];
  GitHubIssue: GitHubIssueModel;
  Int: Scalars['Int']['output'];
  GitHubRepository: GitHubRepositoryModel;
  Boolean: Scalars['Boolean']['output'];
  GitHubUser: GitHubUserModel;
  Mutation: Record<PropertyKey, never>;
  Query: Record<PropertyKey, never>;
  RepositoryEvent: DomainEvent;
  ID: Scalars['ID']['output'];
  Subscription: Record<PropertyKey, never>;
  Viewer: ViewerModel;
};

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type GitHubIssueResolvers<ContextType = GithubContext, ParentType extends ResolversParentTypes['GitHubIssue'] = ResolversParentTypes['GitHubIssue']> = {
  createdAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  number?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  repository?: Resolver<ResolversTypes['GitHubRepository'], ParentType, ContextType>;
  state?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  title?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  url?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type GitHubRepositoryResolvers<ContextType = GithubContext, ParentType extends ResolversParentTypes['GitHubRepository'] = ResolversParentTypes['GitHubRepository'], FederationReferenceType extends FederationReferenceTypes['GitHubRepository'] = FederationReferenceTypes['GitHubRepository']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['GitHubRepository']> | FederationReferenceType, FederationReferenceType, ContextType>;
  description?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  forks?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  isArchived?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  isPrivate?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  language?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  nameWithOwner?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  openIssues?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  owner?: Resolver<Maybe<ResolversTypes['GitHubUser']>, ParentType, ContextType>;
  stars?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  topics?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  url?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type GitHubUserResolvers<ContextType = GithubContext, ParentType extends ResolversParentTypes['GitHubUser'] = ResolversParentTypes['GitHubUser'], FederationReferenceType extends FederationReferenceTypes['GitHubUser'] = FederationReferenceTypes['GitHubUser']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['GitHubUser']> | FederationReferenceType, FederationReferenceType, ContextType>;
  avatarUrl?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  bio?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  company?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  followers?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  following?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  location?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  login?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  name?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  repositories?: Resolver<Maybe<Array<ResolversTypes['GitHubRepository']>>, ParentType, ContextType, RequireFields<GitHubUserRepositoriesArgs, 'first' | 'orderBy'>>;
  repositoryCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  url?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type MutationResolvers<ContextType = GithubContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = {
  createGitHubIssue?: Resolver<Maybe<ResolversTypes['GitHubIssue']>, ParentType, ContextType, RequireFields<MutationCreateGitHubIssueArgs, 'input'>>;
  starGitHubRepository?: Resolver<Maybe<ResolversTypes['GitHubRepository']>, ParentType, ContextType, RequireFields<MutationStarGitHubRepositoryArgs, 'nameWithOwner'>>;
  unstarGitHubRepository?: Resolver<Maybe<ResolversTypes['GitHubRepository']>, ParentType, ContextType, RequireFields<MutationUnstarGitHubRepositoryArgs, 'nameWithOwner'>>;
};

export type QueryResolvers<ContextType = GithubContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = {
  githubRepository?: Resolver<Maybe<ResolversTypes['GitHubRepository']>, ParentType, ContextType, RequireFields<QueryGithubRepositoryArgs, 'name' | 'owner'>>;
  githubUser?: Resolver<Maybe<ResolversTypes['GitHubUser']>, ParentType, ContextType, RequireFields<QueryGithubUserArgs, 'login'>>;
  searchGitHubRepositories?: Resolver<Maybe<Array<ResolversTypes['GitHubRepository']>>, ParentType, ContextType, RequireFields<QuerySearchGitHubRepositoriesArgs, 'first' | 'query'>>;
  viewer?: Resolver<Maybe<ResolversTypes['Viewer']>, ParentType, ContextType>;
};

export type RepositoryEventResolvers<ContextType = GithubContext, ParentType extends ResolversParentTypes['RepositoryEvent'] = ResolversParentTypes['RepositoryEvent']> = {
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  occurredAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  repository?: Resolver<Maybe<ResolversTypes['GitHubRepository']>, ParentType, ContextType>;
  sender?: Resolver<Maybe<ResolversTypes['GitHubUser']>, ParentType, ContextType>;
  type?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type SubscriptionResolvers<ContextType = GithubContext, ParentType extends ResolversParentTypes['Subscription'] = ResolversParentTypes['Subscription']> = {
  repositoryEvents?: SubscriptionResolver<ResolversTypes['RepositoryEvent'], "repositoryEvents", ParentType, ContextType, RequireFields<SubscriptionRepositoryEventsArgs, 'nameWithOwner'>>;
};

export type ViewerResolvers<ContextType = GithubContext, ParentType extends ResolversParentTypes['Viewer'] = ResolversParentTypes['Viewer'], FederationReferenceType extends FederationReferenceTypes['Viewer'] = FederationReferenceTypes['Viewer']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Viewer']> | FederationReferenceType, FederationReferenceType, ContextType>;
  github?: Resolver<Maybe<ResolversTypes['GitHubUser']>, ParentType, ContextType>;
  githubRepositories?: Resolver<Maybe<Array<ResolversTypes['GitHubRepository']>>, ParentType, ContextType, RequireFields<ViewerGithubRepositoriesArgs, 'first'>>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
};

export type Resolvers<ContextType = GithubContext> = {
  DateTime?: GraphQLScalarType;
  GitHubIssue?: GitHubIssueResolvers<ContextType>;
  GitHubRepository?: GitHubRepositoryResolvers<ContextType>;
  GitHubUser?: GitHubUserResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  RepositoryEvent?: RepositoryEventResolvers<ContextType>;
  Subscription?: SubscriptionResolvers<ContextType>;
  Viewer?: ViewerResolvers<ContextType>;
};


import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { ViewerModel } from '../../../kit/access/viewer.ts';
import type { TwitterUserModel, TweetModel, TweetPageModel } from '../models.ts';
import type { DomainEvent } from '../../../kit/events/event-bus.ts';
import type { TwitterContext } from '../context.ts';
export type Maybe<T> = T | null;
export type InputMaybe<T> = T | null;
export type Omit<T, K extends keyof T> = Pick<T, Exclude<keyof T, K>>;
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

export type DeleteTweetPayload = {
  __typename?: 'DeleteTweetPayload';
  deleted: Scalars['Boolean']['output'];
  id: Scalars['ID']['output'];
};

export type Mutation = {
  __typename?: 'Mutation';
  /** Deletes a post of the configured X account. */
  deleteTweet: Maybe<DeleteTweetPayload>;
  /** Posts as the configured X account. */
  postTweet: Maybe<Tweet>;
};


export type MutationDeleteTweetArgs = {
  id: Scalars['ID']['input'];
};


export type MutationPostTweetArgs = {
  text: Scalars['String']['input'];
};

/** Relay pagination state of a connection. */
export type PageInfo = {
  __typename?: 'PageInfo';
  endCursor: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
  hasPreviousPage: Scalars['Boolean']['output'];
  startCursor: Maybe<Scalars['String']['output']>;
};

export type Query = {
  __typename?: 'Query';
  /** Posts from the last seven days matching X's search syntax (`from:someone graphql`). Page size 10 to 100. */
  searchRecentTweets: Maybe<TweetConnection>;
  /** A post by id; NOT_FOUND when there is none (or it was deleted). */
  tweet: Maybe<Tweet>;
  /** An account by username; NOT_FOUND when there is none. */
  twitterUser: Maybe<TwitterUser>;
  /** An account by id; NOT_FOUND when there is none. */
  twitterUserById: Maybe<TwitterUser>;
  /** The signed-in caller's own view across every provider; each subgraph contributes its fields. Null when anonymous. */
  viewer: Maybe<Viewer>;
};


export type QuerySearchRecentTweetsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  query: Scalars['String']['input'];
};


export type QueryTweetArgs = {
  id: Scalars['ID']['input'];
};


export type QueryTwitterUserArgs = {
  username: Scalars['String']['input'];
};


export type QueryTwitterUserByIdArgs = {
  id: Scalars['ID']['input'];
};

export type Subscription = {
  __typename?: 'Subscription';
  /** Posts by one account, as they are created or deleted. */
  tweetEvents: TweetEvent;
};


export type SubscriptionTweetEventsArgs = {
  afterEventId?: InputMaybe<Scalars['ID']['input']>;
  username: Scalars['String']['input'];
};

export type Tweet = {
  __typename?: 'Tweet';
  author: Maybe<TwitterUser>;
  createdAt: Maybe<Scalars['DateTime']['output']>;
  id: Scalars['ID']['output'];
  lang: Maybe<Scalars['String']['output']>;
  metrics: Maybe<TweetMetrics>;
  text: Scalars['String']['output'];
};

export type TweetConnection = {
  __typename?: 'TweetConnection';
  edges: Array<TweetEdge>;
  nodes: Array<Tweet>;
  pageInfo: PageInfo;
};

export type TweetEdge = {
  __typename?: 'TweetEdge';
  cursor: Scalars['String']['output'];
  node: Tweet;
};

/** A post created or deleted, from X's verified webhooks. */
export type TweetEvent = {
  __typename?: 'TweetEvent';
  author: Maybe<TwitterUser>;
  /** The event's id. Pass the last one received as `afterEventId` when resubscribing, to get what was missed. */
  id: Scalars['ID']['output'];
  occurredAt: Scalars['DateTime']['output'];
  /** The post; null once deleted. */
  tweet: Maybe<Tweet>;
  tweetId: Scalars['ID']['output'];
  /** `tweet.created` or `tweet.deleted`. */
  type: Scalars['String']['output'];
};

export type TweetMetrics = {
  __typename?: 'TweetMetrics';
  impressions: Maybe<Scalars['Int']['output']>;
  likes: Scalars['Int']['output'];
  quotes: Scalars['Int']['output'];
  replies: Scalars['Int']['output'];
  retweets: Scalars['Int']['output'];
};

/** An X (Twitter) account, joinable from other subgraphs by `id` or by `username`. */
export type TwitterUser = {
  __typename?: 'TwitterUser';
  createdAt: Maybe<Scalars['DateTime']['output']>;
  description: Maybe<Scalars['String']['output']>;
  followers: Maybe<Scalars['Int']['output']>;
  following: Maybe<Scalars['Int']['output']>;
  id: Scalars['ID']['output'];
  location: Maybe<Scalars['String']['output']>;
  name: Scalars['String']['output'];
  profileImageUrl: Maybe<Scalars['String']['output']>;
  tweetCount: Maybe<Scalars['Int']['output']>;
  /**
   * The user's posts, newest first. Page size 5 to 100. Null, with an error at this path, when X cannot
   * answer (rate limit spent, outage): the rest of the user still resolves.
   */
  tweets: Maybe<TweetConnection>;
  username: Scalars['String']['output'];
  verified: Maybe<Scalars['Boolean']['output']>;
};


/** An X (Twitter) account, joinable from other subgraphs by `id` or by `username`. */
export type TwitterUserTweetsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

/** The signed-in caller. Each subgraph adds the caller's own data from its provider. */
export type Viewer = {
  __typename?: 'Viewer';
  /** The caller's subject (the token's `sub`). */
  id: Scalars['ID']['output'];
  /** The X account linked to the caller, with their recent posts. */
  twitter: Maybe<TwitterUser>;
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
  Tweet: Tweet;
  TwitterUser: TwitterUser;
  Viewer: Viewer;
};

/** Mapping of federation reference types */
export type FederationReferenceTypes = {
  Tweet:
    ( { __typename: 'Tweet' }
    & GraphQLRecursivePick<FederationTypes['Tweet'], {"id":true}> );
  TwitterUser:
    ( { __typename: 'TwitterUser' }
    & ( GraphQLRecursivePick<FederationTypes['TwitterUser'], {"id":true}>
        | GraphQLRecursivePick<FederationTypes['TwitterUser'], {"username":true}> ) );
  Viewer:
    ( { __typename: 'Viewer' }
    & GraphQLRecursivePick<FederationTypes['Viewer'], {"id":true}> );
};



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = {
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  DeleteTweetPayload: ResolverTypeWrapper<DeleteTweetPayload>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  Subscription: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Tweet: ResolverTypeWrapper<TweetModel>;
  TweetConnection: ResolverTypeWrapper<TweetPageModel>;
  TweetEdge: ResolverTypeWrapper<Omit<TweetEdge, 'node'> & { node: ResolversTypes['Tweet'] }>;
  TweetEvent: ResolverTypeWrapper<DomainEvent>;
  TweetMetrics: ResolverTypeWrapper<TweetMetrics>;
  TwitterUser: ResolverTypeWrapper<TwitterUserModel>;
  Viewer: ResolverTypeWrapper<ViewerModel>;
};

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = {
  DateTime: Scalars['DateTime']['output'];
  DeleteTweetPayload: DeleteTweetPayload;
  Boolean: Scalars['Boolean']['output'];
  ID: Scalars['ID']['output'];
  Mutation: Record<PropertyKey, never>;
  String: Scalars['String']['output'];
  PageInfo: PageInfo;
  Query: Record<PropertyKey, never>;
  Int: Scalars['Int']['output'];
  Subscription: Record<PropertyKey, never>;
  Tweet: TweetModel;
  TweetConnection: TweetPageModel;
  TweetEdge: Omit<TweetEdge, 'node'> & { node: ResolversParentTypes['Tweet'] };
  TweetEvent: DomainEvent;
  TweetMetrics: TweetMetrics;
  TwitterUser: TwitterUserModel;
  Viewer: ViewerModel;
};

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type DeleteTweetPayloadResolvers<ContextType = TwitterContext, ParentType extends ResolversParentTypes['DeleteTweetPayload'] = ResolversParentTypes['DeleteTweetPayload']> = {
  deleted?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
};

export type MutationResolvers<ContextType = TwitterContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = {
  deleteTweet?: Resolver<Maybe<ResolversTypes['DeleteTweetPayload']>, ParentType, ContextType, RequireFields<MutationDeleteTweetArgs, 'id'>>;
  postTweet?: Resolver<Maybe<ResolversTypes['Tweet']>, ParentType, ContextType, RequireFields<MutationPostTweetArgs, 'text'>>;
};

export type PageInfoResolvers<ContextType = TwitterContext, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = {
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  hasPreviousPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  startCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type QueryResolvers<ContextType = TwitterContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = {
  searchRecentTweets?: Resolver<Maybe<ResolversTypes['TweetConnection']>, ParentType, ContextType, RequireFields<QuerySearchRecentTweetsArgs, 'first' | 'query'>>;
  tweet?: Resolver<Maybe<ResolversTypes['Tweet']>, ParentType, ContextType, RequireFields<QueryTweetArgs, 'id'>>;
  twitterUser?: Resolver<Maybe<ResolversTypes['TwitterUser']>, ParentType, ContextType, RequireFields<QueryTwitterUserArgs, 'username'>>;
  twitterUserById?: Resolver<Maybe<ResolversTypes['TwitterUser']>, ParentType, ContextType, RequireFields<QueryTwitterUserByIdArgs, 'id'>>;
  viewer?: Resolver<Maybe<ResolversTypes['Viewer']>, ParentType, ContextType>;
};

export type SubscriptionResolvers<ContextType = TwitterContext, ParentType extends ResolversParentTypes['Subscription'] = ResolversParentTypes['Subscription']> = {
  tweetEvents?: SubscriptionResolver<ResolversTypes['TweetEvent'], "tweetEvents", ParentType, ContextType, RequireFields<SubscriptionTweetEventsArgs, 'username'>>;
};

export type TweetResolvers<ContextType = TwitterContext, ParentType extends ResolversParentTypes['Tweet'] = ResolversParentTypes['Tweet'], FederationReferenceType extends FederationReferenceTypes['Tweet'] = FederationReferenceTypes['Tweet']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Tweet']> | FederationReferenceType, FederationReferenceType, ContextType>;
  author?: Resolver<Maybe<ResolversTypes['TwitterUser']>, ParentType, ContextType>;
  createdAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  lang?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  metrics?: Resolver<Maybe<ResolversTypes['TweetMetrics']>, ParentType, ContextType>;
  text?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type TweetConnectionResolvers<ContextType = TwitterContext, ParentType extends ResolversParentTypes['TweetConnection'] = ResolversParentTypes['TweetConnection']> = {
  edges?: Resolver<Array<ResolversTypes['TweetEdge']>, ParentType, ContextType>;
  nodes?: Resolver<Array<ResolversTypes['Tweet']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
};

export type TweetEdgeResolvers<ContextType = TwitterContext, ParentType extends ResolversParentTypes['TweetEdge'] = ResolversParentTypes['TweetEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Tweet'], ParentType, ContextType>;
};

export type TweetEventResolvers<ContextType = TwitterContext, ParentType extends ResolversParentTypes['TweetEvent'] = ResolversParentTypes['TweetEvent']> = {
  author?: Resolver<Maybe<ResolversTypes['TwitterUser']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  occurredAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  tweet?: Resolver<Maybe<ResolversTypes['Tweet']>, ParentType, ContextType>;
  tweetId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  type?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type TweetMetricsResolvers<ContextType = TwitterContext, ParentType extends ResolversParentTypes['TweetMetrics'] = ResolversParentTypes['TweetMetrics']> = {
  impressions?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  likes?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  quotes?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  replies?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  retweets?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type TwitterUserResolvers<ContextType = TwitterContext, ParentType extends ResolversParentTypes['TwitterUser'] = ResolversParentTypes['TwitterUser'], FederationReferenceType extends FederationReferenceTypes['TwitterUser'] = FederationReferenceTypes['TwitterUser']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['TwitterUser']> | FederationReferenceType, FederationReferenceType, ContextType>;
  createdAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  description?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  followers?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  following?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  location?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  profileImageUrl?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  tweetCount?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  tweets?: Resolver<Maybe<ResolversTypes['TweetConnection']>, ParentType, ContextType, RequireFields<TwitterUserTweetsArgs, 'first'>>;
  username?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  verified?: Resolver<Maybe<ResolversTypes['Boolean']>, ParentType, ContextType>;
};

export type ViewerResolvers<ContextType = TwitterContext, ParentType extends ResolversParentTypes['Viewer'] = ResolversParentTypes['Viewer'], FederationReferenceType extends FederationReferenceTypes['Viewer'] = FederationReferenceTypes['Viewer']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Viewer']> | FederationReferenceType, FederationReferenceType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  twitter?: Resolver<Maybe<ResolversTypes['TwitterUser']>, ParentType, ContextType>;
};

export type Resolvers<ContextType = TwitterContext> = {
  DateTime?: GraphQLScalarType;
  DeleteTweetPayload?: DeleteTweetPayloadResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  Subscription?: SubscriptionResolvers<ContextType>;
  Tweet?: TweetResolvers<ContextType>;
  TweetConnection?: TweetConnectionResolvers<ContextType>;
  TweetEdge?: TweetEdgeResolvers<ContextType>;
  TweetEvent?: TweetEventResolvers<ContextType>;
  TweetMetrics?: TweetMetricsResolvers<ContextType>;
  TwitterUser?: TwitterUserResolvers<ContextType>;
  Viewer?: ViewerResolvers<ContextType>;
};


import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { ViewerModel } from '../../../kit/access/viewer.ts';
import type { ConnectionsContext } from '../context.ts';
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

export type ConnectAccountPayload = {
  __typename?: 'ConnectAccountPayload';
  /** Open this in the user's browser: the provider's consent page. Single use, valid until `expiresAt`. */
  authorizationUrl: Scalars['String']['output'];
  expiresAt: Scalars['DateTime']['output'];
};

/** An account of the signed-in user at a provider. Its tokens stay in the gateway's vault, never here. */
export type Connection = {
  __typename?: 'Connection';
  connectedAt: Scalars['DateTime']['output'];
  /** When the current access token expires (it is refreshed before); null when it does not. */
  expiresAt: Maybe<Scalars['DateTime']['output']>;
  id: Scalars['ID']['output'];
  lastRefreshedAt: Maybe<Scalars['DateTime']['output']>;
  /** The account's login at the provider (GitHub login, X username). */
  login: Scalars['String']['output'];
  provider: ConnectionProvider;
  /** The account's id at the provider. */
  providerUserId: Scalars['ID']['output'];
  /** What the user granted. */
  scopes: Array<Scalars['String']['output']>;
  status: ConnectionStatus;
};

/** A provider whose accounts users connect, so that calls act as them (OAuth 2.0 with PKCE). */
export type ConnectionProvider =
  | 'GITHUB'
  | 'TWITTER';

export type ConnectionStatus =
  /** Usable: calls act as this account (tokens are refreshed as needed). */
  | 'ACTIVE'
  /** The grant ran out and cannot be refreshed: connect again. */
  | 'EXPIRED'
  /** The application now asks for permissions this grant lacks: connect again to consent to them. */
  | 'NEEDS_CONSENT'
  /** The provider refused the grant (revoked there, or refused at refresh): connect again. */
  | 'REVOKED';

export type DisconnectAccountPayload = {
  __typename?: 'DisconnectAccountPayload';
  /** False when there was no connection. */
  disconnected: Scalars['Boolean']['output'];
  provider: ConnectionProvider;
  /** Whether the provider confirmed revoking the grant (the connection is deleted here either way). */
  revokedAtProvider: Scalars['Boolean']['output'];
};

export type Mutation = {
  __typename?: 'Mutation';
  /**
   * Finishes connecting: the application, back on `redirectUri`, sends the `connection_ticket` it was given,
   * as the signed-in user who called `connectAccount`. Single use, valid for as long as `connectAccount`'s
   * link (CONNECTIONS_STATE_TTL_SECONDS). Sent by any other user (a link started by someone else and finished
   * in this browser), the account is not connected to anyone and its grant is revoked at the provider
   * (FORBIDDEN). An unknown, used or expired ticket is BAD_USER_INPUT; an account connected to another user
   * since is ACCOUNT_ALREADY_CONNECTED.
   */
  confirmConnection: Connection;
  /**
   * Starts connecting the caller's account at `provider`: returns the provider's authorization URL. After the
   * user approves (or denies) there, the provider sends the browser to the gateway's
   * `/oauth/<provider>/callback`, which redirects to `redirectUri` (one of CONNECTIONS_REDIRECT_URIS) with
   * `provider=<provider>&connection_ticket=<ticket>`, or shows a page saying what went wrong. Nothing is
   * connected until the application calls `confirmConnection` with that ticket.
   */
  connectAccount: ConnectAccountPayload;
  /** Revokes the grant at the provider and deletes the connection. */
  disconnectAccount: DisconnectAccountPayload;
};


export type MutationConfirmConnectionArgs = {
  ticket: Scalars['String']['input'];
};


export type MutationConnectAccountArgs = {
  provider: ConnectionProvider;
  redirectUri: Scalars['String']['input'];
};


export type MutationDisconnectAccountArgs = {
  provider: ConnectionProvider;
};

export type Query = {
  __typename?: 'Query';
  /** The signed-in caller's own view across every provider; each subgraph contributes its fields. Null when anonymous. */
  viewer: Maybe<Viewer>;
};

/** The signed-in caller. Each subgraph adds the caller's own data from its provider. */
export type Viewer = {
  __typename?: 'Viewer';
  /** The caller's connected accounts, one per provider. */
  connections: Array<Connection>;
  /** The caller's subject (the token's `sub`). */
  id: Scalars['ID']['output'];
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
  Viewer: Viewer;
};

/** Mapping of federation reference types */
export type FederationReferenceTypes = {
  Viewer:
    ( { __typename: 'Viewer' }
    & GraphQLRecursivePick<FederationTypes['Viewer'], {"id":true}> );
};



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = {
  ConnectAccountPayload: ResolverTypeWrapper<ConnectAccountPayload>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  Connection: ResolverTypeWrapper<Connection>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  ConnectionProvider: ConnectionProvider;
  ConnectionStatus: ConnectionStatus;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  DisconnectAccountPayload: ResolverTypeWrapper<DisconnectAccountPayload>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Viewer: ResolverTypeWrapper<ViewerModel>;
};

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = {
  ConnectAccountPayload: ConnectAccountPayload;
  String: Scalars['String']['output'];
  Connection: Connection;
  ID: Scalars['ID']['output'];
  DateTime: Scalars['DateTime']['output'];
  DisconnectAccountPayload: DisconnectAccountPayload;
  Boolean: Scalars['Boolean']['output'];
  Mutation: Record<PropertyKey, never>;
  Query: Record<PropertyKey, never>;
  Viewer: ViewerModel;
};

export type ConnectAccountPayloadResolvers<ContextType = ConnectionsContext, ParentType extends ResolversParentTypes['ConnectAccountPayload'] = ResolversParentTypes['ConnectAccountPayload']> = {
  authorizationUrl?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  expiresAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
};

export type ConnectionResolvers<ContextType = ConnectionsContext, ParentType extends ResolversParentTypes['Connection'] = ResolversParentTypes['Connection']> = {
  connectedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  expiresAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  lastRefreshedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  login?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  provider?: Resolver<ResolversTypes['ConnectionProvider'], ParentType, ContextType>;
  providerUserId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  scopes?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['ConnectionStatus'], ParentType, ContextType>;
};

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type DisconnectAccountPayloadResolvers<ContextType = ConnectionsContext, ParentType extends ResolversParentTypes['DisconnectAccountPayload'] = ResolversParentTypes['DisconnectAccountPayload']> = {
  disconnected?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  provider?: Resolver<ResolversTypes['ConnectionProvider'], ParentType, ContextType>;
  revokedAtProvider?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
};

export type MutationResolvers<ContextType = ConnectionsContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = {
  confirmConnection?: Resolver<ResolversTypes['Connection'], ParentType, ContextType, RequireFields<MutationConfirmConnectionArgs, 'ticket'>>;
  connectAccount?: Resolver<ResolversTypes['ConnectAccountPayload'], ParentType, ContextType, RequireFields<MutationConnectAccountArgs, 'provider' | 'redirectUri'>>;
  disconnectAccount?: Resolver<ResolversTypes['DisconnectAccountPayload'], ParentType, ContextType, RequireFields<MutationDisconnectAccountArgs, 'provider'>>;
};

export type QueryResolvers<ContextType = ConnectionsContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = {
  viewer?: Resolver<Maybe<ResolversTypes['Viewer']>, ParentType, ContextType>;
};

export type ViewerResolvers<ContextType = ConnectionsContext, ParentType extends ResolversParentTypes['Viewer'] = ResolversParentTypes['Viewer'], FederationReferenceType extends FederationReferenceTypes['Viewer'] = FederationReferenceTypes['Viewer']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Viewer']> | FederationReferenceType, FederationReferenceType, ContextType>;
  connections?: Resolver<Array<ResolversTypes['Connection']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
};

export type Resolvers<ContextType = ConnectionsContext> = {
  ConnectAccountPayload?: ConnectAccountPayloadResolvers<ContextType>;
  Connection?: ConnectionResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  DisconnectAccountPayload?: DisconnectAccountPayloadResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  Viewer?: ViewerResolvers<ContextType>;
};


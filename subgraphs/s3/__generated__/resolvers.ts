import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { ViewerModel } from '../../../kit/access/viewer.ts';
import type { BucketModel, StoredObjectModel, StoredObjectConnectionModel } from '../models.ts';
import type { DomainEvent } from '../../../kit/events/event-bus.ts';
import type { S3Context } from '../context.ts';
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

/** A storage bucket this gateway is configured to expose. */
export type Bucket = {
  __typename?: 'Bucket';
  name: Scalars['String']['output'];
  /** Objects in this bucket whose keys start with `prefix`, a page at a time, in key order. */
  objects: StoredObjectConnection;
  /** The region the bucket lives in, as the provider reports it. */
  region: Maybe<Scalars['String']['output']>;
};


/** A storage bucket this gateway is configured to expose. */
export type BucketObjectsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  delimiter?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  prefix?: InputMaybe<Scalars['String']['input']>;
};

export type CreateUploadUrlInput = {
  bucket: Scalars['String']['input'];
  /** The exact size in bytes the upload must send, up to the configured maximum. */
  contentLength: Scalars['Int']['input'];
  /** The exact Content-Type the upload must send. */
  contentType: Scalars['String']['input'];
  /** Seconds the URL stays valid, 1 to the configured maximum; 900 by default. */
  expiresIn?: InputMaybe<Scalars['Int']['input']>;
  key: Scalars['String']['input'];
};

export type DeleteObjectPayload = {
  __typename?: 'DeleteObjectPayload';
  bucket: Scalars['String']['output'];
  /** True once the object is gone (deleting a missing key succeeds, as on S3). */
  deleted: Scalars['Boolean']['output'];
  key: Scalars['String']['output'];
};

export type HttpHeader = {
  __typename?: 'HttpHeader';
  name: Scalars['String']['output'];
  value: Scalars['String']['output'];
};

/** A user-defined metadata pair (`x-amz-meta-*` on S3, `metadata` on Stripe). */
export type MetadataEntry = {
  __typename?: 'MetadataEntry';
  key: Scalars['String']['output'];
  value: Scalars['String']['output'];
};

export type Mutation = {
  __typename?: 'Mutation';
  /** A URL a client uploads one file to directly; the signature covers the key, content type and exact length. */
  createUploadUrl: Maybe<UploadUrl>;
  deleteObject: Maybe<DeleteObjectPayload>;
};


export type MutationCreateUploadUrlArgs = {
  input: CreateUploadUrlInput;
};


export type MutationDeleteObjectArgs = {
  bucket: Scalars['String']['input'];
  key: Scalars['String']['input'];
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
  /** One bucket; fails with NOT_FOUND when it does not exist or is not exposed. */
  bucket: Maybe<Bucket>;
  /** The buckets this gateway exposes. */
  buckets: Maybe<Array<Bucket>>;
  /** One object, or null when the key does not exist. Fails with NOT_FOUND for an unknown bucket. */
  storedObject: Maybe<StoredObject>;
  /** Objects of a bucket under a prefix (see Bucket.objects). */
  storedObjects: Maybe<StoredObjectConnection>;
  /** The signed-in caller's own view across every provider; each subgraph contributes its fields. Null when anonymous. */
  viewer: Maybe<Viewer>;
};


export type QueryBucketArgs = {
  name: Scalars['String']['input'];
};


export type QueryStoredObjectArgs = {
  bucket: Scalars['String']['input'];
  key: Scalars['String']['input'];
};


export type QueryStoredObjectsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  bucket: Scalars['String']['input'];
  delimiter?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  prefix?: InputMaybe<Scalars['String']['input']>;
};

/** An object in a bucket. */
export type StoredObject = {
  __typename?: 'StoredObject';
  bucket: Scalars['String']['output'];
  contentType: Maybe<Scalars['String']['output']>;
  /** A presigned GET URL valid for `expiresIn` seconds (1 to the configured maximum, 3600 by default). */
  downloadUrl: Scalars['String']['output'];
  /** The entity tag, without surrounding quotes. */
  etag: Maybe<Scalars['String']['output']>;
  key: Scalars['String']['output'];
  lastModified: Maybe<Scalars['DateTime']['output']>;
  metadata: Array<MetadataEntry>;
  /** Size in bytes. A Float because objects can exceed GraphQL Int's 32-bit range; always a whole number. */
  size: Maybe<Scalars['Float']['output']>;
};


/** An object in a bucket. */
export type StoredObjectDownloadUrlArgs = {
  expiresIn?: InputMaybe<Scalars['Int']['input']>;
};

export type StoredObjectConnection = {
  __typename?: 'StoredObjectConnection';
  /** Key prefixes grouped by `delimiter` on this page, like folders. */
  commonPrefixes: Array<Scalars['String']['output']>;
  edges: Array<StoredObjectEdge>;
  nodes: Array<StoredObject>;
  pageInfo: PageInfo;
};

export type StoredObjectEdge = {
  __typename?: 'StoredObjectEdge';
  cursor: Scalars['String']['output'];
  node: StoredObject;
};

/** A file that arrived in or left a bucket, from S3's event notifications. */
export type StoredObjectEvent = {
  __typename?: 'StoredObjectEvent';
  bucket: Scalars['String']['output'];
  /** The event's id. Pass the last one received as `afterEventId` when resubscribing, to get what was missed. */
  id: Scalars['ID']['output'];
  key: Scalars['String']['output'];
  /** The object as it is now; null once removed. */
  object: Maybe<StoredObject>;
  occurredAt: Scalars['DateTime']['output'];
  /** `object.created` or `object.removed`. */
  type: Scalars['String']['output'];
};

export type Subscription = {
  __typename?: 'Subscription';
  /** Objects created or removed in a bucket, under a prefix (for non-admins, under their storage prefix). */
  storedObjectEvents: StoredObjectEvent;
};


export type SubscriptionStoredObjectEventsArgs = {
  afterEventId?: InputMaybe<Scalars['ID']['input']>;
  bucket: Scalars['String']['input'];
  prefix?: InputMaybe<Scalars['String']['input']>;
};

/** A presigned upload: send `method` to `url` with exactly these `headers` and a body of `contentLength` bytes. */
export type UploadUrl = {
  __typename?: 'UploadUrl';
  bucket: Scalars['String']['output'];
  expiresAt: Scalars['DateTime']['output'];
  headers: Array<HttpHeader>;
  key: Scalars['String']['output'];
  method: Scalars['String']['output'];
  url: Scalars['String']['output'];
};

/** The signed-in caller. Each subgraph adds the caller's own data from its provider. */
export type Viewer = {
  __typename?: 'Viewer';
  /** The caller's files: objects under their storage prefix in the files bucket, newest listing order of S3. */
  files: Maybe<StoredObjectConnection>;
  /** The caller's subject (the token's `sub`). */
  id: Scalars['ID']['output'];
};


/** The signed-in caller. Each subgraph adds the caller's own data from its provider. */
export type ViewerFilesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
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
  StoredObject: StoredObject;
  Viewer: Viewer;
};

/** Mapping of federation reference types */
export type FederationReferenceTypes = {
  StoredObject:
    ( { __typename: 'StoredObject' }
    & GraphQLRecursivePick<FederationTypes['StoredObject'], {"bucket":true,"key":true}> );
  Viewer:
    ( { __typename: 'Viewer' }
    & GraphQLRecursivePick<FederationTypes['Viewer'], {"id":true}> );
};



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = {
  Bucket: ResolverTypeWrapper<BucketModel>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  CreateUploadUrlInput: CreateUploadUrlInput;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  DeleteObjectPayload: ResolverTypeWrapper<DeleteObjectPayload>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  HttpHeader: ResolverTypeWrapper<HttpHeader>;
  MetadataEntry: ResolverTypeWrapper<MetadataEntry>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  StoredObject: ResolverTypeWrapper<StoredObjectModel>;
  Float: ResolverTypeWrapper<Scalars['Float']['output']>;
  StoredObjectConnection: ResolverTypeWrapper<StoredObjectConnectionModel>;
  StoredObjectEdge: ResolverTypeWrapper<Omit<StoredObjectEdge, 'node'> & { node: ResolversTypes['StoredObject'] }>;
  StoredObjectEvent: ResolverTypeWrapper<DomainEvent>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  Subscription: ResolverTypeWrapper<Record<PropertyKey, never>>;
  UploadUrl: ResolverTypeWrapper<UploadUrl>;
  Viewer: ResolverTypeWrapper<ViewerModel>;
};

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = {
  Bucket: BucketModel;
  String: Scalars['String']['output'];
  Int: Scalars['Int']['output'];
  CreateUploadUrlInput: CreateUploadUrlInput;
  DateTime: Scalars['DateTime']['output'];
  DeleteObjectPayload: DeleteObjectPayload;
  Boolean: Scalars['Boolean']['output'];
  HttpHeader: HttpHeader;
  MetadataEntry: MetadataEntry;
  Mutation: Record<PropertyKey, never>;
  PageInfo: PageInfo;
  Query: Record<PropertyKey, never>;
  StoredObject: StoredObjectModel;
  Float: Scalars['Float']['output'];
  StoredObjectConnection: StoredObjectConnectionModel;
  StoredObjectEdge: Omit<StoredObjectEdge, 'node'> & { node: ResolversParentTypes['StoredObject'] };
  StoredObjectEvent: DomainEvent;
  ID: Scalars['ID']['output'];
  Subscription: Record<PropertyKey, never>;
  UploadUrl: UploadUrl;
  Viewer: ViewerModel;
};

export type BucketResolvers<ContextType = S3Context, ParentType extends ResolversParentTypes['Bucket'] = ResolversParentTypes['Bucket']> = {
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  objects?: Resolver<ResolversTypes['StoredObjectConnection'], ParentType, ContextType, RequireFields<BucketObjectsArgs, 'first'>>;
  region?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type DeleteObjectPayloadResolvers<ContextType = S3Context, ParentType extends ResolversParentTypes['DeleteObjectPayload'] = ResolversParentTypes['DeleteObjectPayload']> = {
  bucket?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  deleted?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  key?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type HttpHeaderResolvers<ContextType = S3Context, ParentType extends ResolversParentTypes['HttpHeader'] = ResolversParentTypes['HttpHeader']> = {
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  value?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type MetadataEntryResolvers<ContextType = S3Context, ParentType extends ResolversParentTypes['MetadataEntry'] = ResolversParentTypes['MetadataEntry']> = {
  key?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  value?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type MutationResolvers<ContextType = S3Context, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = {
  createUploadUrl?: Resolver<Maybe<ResolversTypes['UploadUrl']>, ParentType, ContextType, RequireFields<MutationCreateUploadUrlArgs, 'input'>>;
  deleteObject?: Resolver<Maybe<ResolversTypes['DeleteObjectPayload']>, ParentType, ContextType, RequireFields<MutationDeleteObjectArgs, 'bucket' | 'key'>>;
};

export type PageInfoResolvers<ContextType = S3Context, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = {
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  hasPreviousPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  startCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type QueryResolvers<ContextType = S3Context, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = {
  bucket?: Resolver<Maybe<ResolversTypes['Bucket']>, ParentType, ContextType, RequireFields<QueryBucketArgs, 'name'>>;
  buckets?: Resolver<Maybe<Array<ResolversTypes['Bucket']>>, ParentType, ContextType>;
  storedObject?: Resolver<Maybe<ResolversTypes['StoredObject']>, ParentType, ContextType, RequireFields<QueryStoredObjectArgs, 'bucket' | 'key'>>;
  storedObjects?: Resolver<Maybe<ResolversTypes['StoredObjectConnection']>, ParentType, ContextType, RequireFields<QueryStoredObjectsArgs, 'bucket' | 'first'>>;
  viewer?: Resolver<Maybe<ResolversTypes['Viewer']>, ParentType, ContextType>;
};

export type StoredObjectResolvers<ContextType = S3Context, ParentType extends ResolversParentTypes['StoredObject'] = ResolversParentTypes['StoredObject'], FederationReferenceType extends FederationReferenceTypes['StoredObject'] = FederationReferenceTypes['StoredObject']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['StoredObject']> | FederationReferenceType, FederationReferenceType, ContextType>;
  bucket?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  contentType?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  downloadUrl?: Resolver<ResolversTypes['String'], ParentType, ContextType, RequireFields<StoredObjectDownloadUrlArgs, 'expiresIn'>>;
  etag?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  key?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  lastModified?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  metadata?: Resolver<Array<ResolversTypes['MetadataEntry']>, ParentType, ContextType>;
  size?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
};

export type StoredObjectConnectionResolvers<ContextType = S3Context, ParentType extends ResolversParentTypes['StoredObjectConnection'] = ResolversParentTypes['StoredObjectConnection']> = {
  commonPrefixes?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  edges?: Resolver<Array<ResolversTypes['StoredObjectEdge']>, ParentType, ContextType>;
  nodes?: Resolver<Array<ResolversTypes['StoredObject']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
};

export type StoredObjectEdgeResolvers<ContextType = S3Context, ParentType extends ResolversParentTypes['StoredObjectEdge'] = ResolversParentTypes['StoredObjectEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['StoredObject'], ParentType, ContextType>;
};

export type StoredObjectEventResolvers<ContextType = S3Context, ParentType extends ResolversParentTypes['StoredObjectEvent'] = ResolversParentTypes['StoredObjectEvent']> = {
  bucket?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  key?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  object?: Resolver<Maybe<ResolversTypes['StoredObject']>, ParentType, ContextType>;
  occurredAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  type?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type SubscriptionResolvers<ContextType = S3Context, ParentType extends ResolversParentTypes['Subscription'] = ResolversParentTypes['Subscription']> = {
  storedObjectEvents?: SubscriptionResolver<ResolversTypes['StoredObjectEvent'], "storedObjectEvents", ParentType, ContextType, RequireFields<SubscriptionStoredObjectEventsArgs, 'bucket'>>;
};

export type UploadUrlResolvers<ContextType = S3Context, ParentType extends ResolversParentTypes['UploadUrl'] = ResolversParentTypes['UploadUrl']> = {
  bucket?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  expiresAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  headers?: Resolver<Array<ResolversTypes['HttpHeader']>, ParentType, ContextType>;
  key?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  method?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  url?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type ViewerResolvers<ContextType = S3Context, ParentType extends ResolversParentTypes['Viewer'] = ResolversParentTypes['Viewer'], FederationReferenceType extends FederationReferenceTypes['Viewer'] = FederationReferenceTypes['Viewer']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Viewer']> | FederationReferenceType, FederationReferenceType, ContextType>;
  files?: Resolver<Maybe<ResolversTypes['StoredObjectConnection']>, ParentType, ContextType, RequireFields<ViewerFilesArgs, 'first'>>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
};

export type Resolvers<ContextType = S3Context> = {
  Bucket?: BucketResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  DeleteObjectPayload?: DeleteObjectPayloadResolvers<ContextType>;
  HttpHeader?: HttpHeaderResolvers<ContextType>;
  MetadataEntry?: MetadataEntryResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  StoredObject?: StoredObjectResolvers<ContextType>;
  StoredObjectConnection?: StoredObjectConnectionResolvers<ContextType>;
  StoredObjectEdge?: StoredObjectEdgeResolvers<ContextType>;
  StoredObjectEvent?: StoredObjectEventResolvers<ContextType>;
  Subscription?: SubscriptionResolvers<ContextType>;
  UploadUrl?: UploadUrlResolvers<ContextType>;
  Viewer?: ViewerResolvers<ContextType>;
};


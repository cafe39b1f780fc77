import { readdirSync } from 'node:fs';
import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Resolver types for every subgraph SDL in schema/ (one file each; the composed supergraph is not a
 * subgraph). Each provider folder supplies `context.ts` (its context type) and `models.ts` (what its
 * resolvers return for each entity, before field resolvers run).
 */
const subgraphs = readdirSync(new URL('./schema/', import.meta.url))
  .filter((file) => file.endsWith('.graphql') && file !== 'supergraph.graphql')
  .map((file) => file.replace(/\.graphql$/, ''));

const mappersByProvider: Record<string, Record<string, string>> = {
  s3: {
    Bucket: '../models.ts#BucketModel',
    StoredObject: '../models.ts#StoredObjectModel',
    StoredObjectConnection: '../models.ts#StoredObjectConnectionModel',
    StoredObjectEvent: '../../../kit/events/event-bus.ts#DomainEvent',
  },
  stripe: {
    Customer: '../models.ts#CustomerModel',
    CustomerConnection: '../models.ts#CustomerPageModel',
    PaymentIntent: '../models.ts#PaymentIntentModel',
    PaymentIntentConnection: '../models.ts#PaymentIntentPageModel',
    Refund: '../models.ts#RefundModel',
    Product: '../models.ts#ProductModel',
    ProductConnection: '../models.ts#ProductPageModel',
    Price: '../models.ts#PriceModel',
    BillingSubscription: '../models.ts#BillingSubscriptionModel',
    BillingSubscriptionItem: '../models.ts#BillingSubscriptionItemModel',
    BillingSubscriptionConnection: '../models.ts#BillingSubscriptionPageModel',
    Invoice: '../models.ts#InvoiceModel',
    InvoiceConnection: '../models.ts#InvoicePageModel',
    Money: '../models.ts#MoneyModel',
    PaymentEvent: '../../../kit/events/event-bus.ts#DomainEvent',
  },
  github: {
    GitHubUser: '../models.ts#GitHubUserModel',
    GitHubRepository: '../models.ts#GitHubRepositoryModel',
    GitHubIssue: '../models.ts#GitHubIssueModel',
    RepositoryEvent: '../../../kit/events/event-bus.ts#DomainEvent',
  },
  twitter: {
    TwitterUser: '../models.ts#TwitterUserModel',
    Tweet: '../models.ts#TweetModel',
    TweetConnection: '../models.ts#TweetPageModel',
    TweetEvent: '../../../kit/events/event-bus.ts#DomainEvent',
  },
  webhooks: {
    WebhookEndpoint: '../models.ts#WebhookEndpointModel',
    WebhookEndpointWithSecret: '../models.ts#WebhookEndpointWithSecretModel',
    WebhookDelivery: '../models.ts#WebhookDeliveryModel',
    WebhookDeliveryConnection: '../models.ts#WebhookDeliveryConnectionModel',
    WebhookAttempt: '../outbox.ts#AttemptRow',
  },
};

const config: CodegenConfig = {
  overwrite: true,
  generates: Object.fromEntries(
    subgraphs.map((name) => [
      `subgraphs/${name}/__generated__/resolvers.ts`,
      {
        schema: `schema/${name}.graphql`,
        plugins: ['typescript', 'typescript-resolvers'],
        config: {
          federation: true,
          useTypeImports: true,
          contextType: `../context.ts#${name[0]!.toUpperCase()}${name.slice(1)}Context`,
          // Every subgraph contributes to the caller's Viewer, whose model is the kit's.
          mappers: { Viewer: '../../../kit/access/viewer.ts#ViewerModel', ...mappersByProvider[name] },
          scalars: { DateTime: { input: 'Date', output: 'Date | string' } },
          enumsAsTypes: true,
          avoidOptionals: { field: true, inputValue: false, object: false, defaultValue: false },
          maybeValue: 'T | null',
          resolverTypeWrapperSignature: 'T | Promise<T>',
        },
      },
    ]),
  ),
};

export default config;

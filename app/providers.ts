import type { Provider } from '../kit/provider.ts';
import { s3Provider } from '../subgraphs/s3/index.ts';
import { stripeProvider } from '../subgraphs/stripe/index.ts';
import { githubProvider } from '../subgraphs/github/index.ts';
import { twitterProvider } from '../subgraphs/twitter/index.ts';
import { connectionsProvider } from '../subgraphs/connections/index.ts';
import { webhooksProvider } from '../subgraphs/webhooks/index.ts';

/**
 * Every provider the application serves, in a fixed order: a provider's default subgraph port is
 * PORT + 1 + its index here, and the committed supergraph names those URLs.
 */
export const providers: readonly Provider[] = [s3Provider, stripeProvider, githubProvider, twitterProvider, connectionsProvider, webhooksProvider];

export const DEFAULT_GATEWAY_PORT = 4000;

export function defaultSubgraphUrl(index: number): string {
  return `http://localhost:${DEFAULT_GATEWAY_PORT + 1 + index}/graphql`;
}

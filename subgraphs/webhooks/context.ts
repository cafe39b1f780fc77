import type { SubgraphContext } from '../../kit/context.ts';
import type { WebhooksLoaders } from './loaders.ts';

export type WebhooksContext = SubgraphContext<WebhooksLoaders>;

import type { SubgraphContext } from '../../kit/context.ts';
import type { StripeLoaders } from './loaders.ts';

export type StripeContext = SubgraphContext<StripeLoaders>;

import type { SubgraphContext } from '../../kit/context.ts';
import type { TwitterLoaders } from './loaders.ts';

export type TwitterContext = SubgraphContext<TwitterLoaders>;

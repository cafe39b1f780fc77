import type { SubgraphContext } from '../../kit/context.ts';
import type { S3Loaders } from './loaders.ts';

export type S3Context = SubgraphContext<S3Loaders>;

import type { SubgraphContext } from '../../kit/context.ts';
import type { GitHubLoaders } from './loaders.ts';

export type GithubContext = SubgraphContext<GitHubLoaders>;

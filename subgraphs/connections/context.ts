import type { SubgraphContext } from '../../kit/context.ts';

export type ConnectionsContext = SubgraphContext<Record<string, never>>;

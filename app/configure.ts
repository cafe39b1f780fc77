import { ConfigError, readConfig } from '../subgraphs/kit/config.ts';
import type { Environment, Provider, SubgraphDeps } from '../subgraphs/kit/provider.ts';
import type { Subgraph } from '../subgraphs/kit/subgraph.ts';
import { gatewayConfigSchema, type GatewayConfig } from '../gateway/config.ts';

export interface Configured {
  gateway: GatewayConfig;
  subgraphs: { name: string; create: (deps: SubgraphDeps) => Subgraph<object> }[];
}

/**
 * Validates the gateway's and every provider's variables together and reports all problems at once.
 * `providerEnv` adds, per provider, what its emulator supplies (nothing for a real provider).
 */
export function configure(
  env: Environment,
  providers: readonly Provider[],
  providerEnv: (provider: Provider) => Environment = () => ({}),
): Configured {
  const problems: string[] = [];
  const attempt = <T>(read: () => T): T | undefined => {
    try {
      return read();
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(...error.problems);
      return undefined;
    }
  };
  const gateway = attempt(() => readConfig(gatewayConfigSchema, env));
  const subgraphs = providers.map((provider) => ({
    name: provider.name,
    create: attempt(() => provider.configure({ ...env, ...providerEnv(provider) })),
  }));
  if (!gateway || problems.length > 0) throw new ConfigError(problems);
  return { gateway, subgraphs: subgraphs.map(({ name, create }) => ({ name, create: create! })) };
}

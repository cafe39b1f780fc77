import { ConfigError, readConfig } from '../kit/config.ts';
import type { Environment, Provider, SubgraphDeps } from '../kit/provider.ts';
import type { BaseContext, Subgraph } from '../kit/subgraph.ts';
import { gatewayConfigSchema, type GatewayConfig } from '../gateway/config.ts';
import { emulators } from '../emulators/index.ts';

export interface Configured {
  gateway: GatewayConfig;
  subgraphs: { name: string; create: (deps: SubgraphDeps) => Subgraph<BaseContext> }[];
}

/** Where nothing listens: stands in for emulator URLs not known yet, so configuration can be checked first. */
const NOT_STARTED = 'http://127.0.0.1:1';

/** The providers that run against their emulator: those without real credentials that have one. */
export function emulatedProviders(env: Environment, providers: readonly Provider[]): Provider[] {
  return providers.filter((p) => !p.usesRealService(env) && emulators[p.name]);
}

/**
 * Validates the gateway's and every provider's variables together and reports all problems at once.
 * An emulated provider gets its emulator's variables (at `emulatorUrls[name]`, once started).
 */
export function configure(env: Environment, providers: readonly Provider[], emulatorUrls: Readonly<Record<string, string>> = {}): Configured {
  const emulated = emulatedProviders(env, providers);
  const emulatorEnv = (p: Provider): Environment => (emulated.includes(p) ? emulators[p.name]!.env(emulatorUrls[p.name] ?? NOT_STARTED) : {});
  const providerEnv = (p: Provider): Environment =>
    Object.assign({}, ...providers.filter((other) => p.readsEnvOf?.includes(other.name)).map(emulatorEnv), emulatorEnv(p));
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
  // The app's subgraphs are ours: a production deployment names the secret they and the gateway share (the
  // gateway alone asks for it only when the supergraph has a subgraph of ours).
  if (env['NODE_ENV'] === 'production' && !env['SUBGRAPH_SECRET']) problems.push('SUBGRAPH_SECRET: required in production (the secret shared with the subgraphs only)');
  // The emulators' own variables (fault profiles, X's tier), checked now rather than when each one starts.
  for (const provider of emulated) problems.push(...emulators[provider.name]!.problems(env));
  const subgraphs = providers.map((provider) => ({
    name: provider.name,
    create: attempt(() => provider.configure({ ...env, ...providerEnv(provider) })),
  }));
  // Shared variables (CONNECTIONS_ENCRYPTION_KEYS) are read by several providers: name each problem once.
  if (!gateway || problems.length > 0) throw new ConfigError([...new Set(problems)]);
  return { gateway, subgraphs: subgraphs.map(({ name, create }) => ({ name, create: create! })) };
}

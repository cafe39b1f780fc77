import type { GraphQLError } from 'graphql';
import { emulators } from '../../emulators/index.ts';
import { startTwitterEmulator, type TwitterEmulator, type TwitterEmulatorOptions } from '../../emulators/twitter/server.ts';
import { readConfig } from '../../kit/config.ts';
import { silentLogger } from '../../kit/logger.ts';
import { createCallGuard, type CallGuard } from '../../kit/resilience/call-guard.ts';
import { providerCall } from '../../kit/resilience/provider-call.ts';
import { createQuotaTracker, type QuotaTracker } from '../../kit/resilience/quota.ts';
import { defaultResilience } from '../../kit/resilience/resilience-config.ts';
import { classifyByCode, createProviderPolicy, type ProviderPolicy } from '../../kit/resilience/resilience.ts';
import { createTwitterClients, type TwitterClients } from '../../subgraphs/twitter/client.ts';
import { twitterConfigSchema, twitterSettingsFromEnv } from '../../subgraphs/twitter/config.ts';
import { toGraphQLError } from '../../subgraphs/twitter/errors.ts';

/** The X emulator and the subgraph's own client, quota tracker, call guard and error mapping in front of it. */
export interface XUnderTest {
  emulator: TwitterEmulator;
  clients: TwitterClients;
  quota: QuotaTracker;
  policy: ProviderPolicy;
  guard: CallGuard;
  /** Runs a subgraph call and maps what it throws as the resolvers do. */
  call<T>(run: () => Promise<T>): Promise<T>;
  /** Runs a subgraph call that must fail; its GraphQL error. */
  failure(run: () => Promise<unknown>): Promise<GraphQLError>;
  /** POSTs JSON to a control endpoint (`/_emulator/<name>`). */
  control(name: string, body: unknown): Promise<Response>;
  close(): Promise<void>;
}

/** Starts an emulator (port 0) and wires the subgraph's client to it the way `npm start` does, or with `userAccessToken`. */
export async function startXUnderTest(options: TwitterEmulatorOptions & { userAccessToken?: (emulator: TwitterEmulator) => string } = {}): Promise<XUnderTest> {
  const { userAccessToken, ...emulatorOptions } = options;
  const emulator = await startTwitterEmulator({ ...emulatorOptions, port: 0 });
  const env = { ...emulators['twitter']!.env(emulator.url), ...(userAccessToken ? { TWITTER_USER_ACCESS_TOKEN: userAccessToken(emulator) } : {}) };
  const settings = twitterSettingsFromEnv(readConfig(twitterConfigSchema, env))!;
  const quota = createQuotaTracker({ provider: 'twitter' });
  const clients = createTwitterClients(settings, quota);
  const policy = createProviderPolicy({
    provider: 'twitter',
    settings: defaultResilience({ sdkRetries: false }).settings,
    classify: classifyByCode((error) => toGraphQLError(error, silentLogger)),
  });
  const guard = createCallGuard(quota, policy);
  const mapped = providerCall(toGraphQLError);
  const call = <T>(run: () => Promise<T>) => mapped(silentLogger, run);
  return {
    emulator,
    clients,
    quota,
    policy,
    guard,
    call,
    async failure(run) {
      try {
        await call(run);
      } catch (error) {
        return error as GraphQLError;
      }
      throw new Error('expected the call to fail');
    },
    control: (name, body) => fetch(`${emulator.url}/_emulator/${name}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    async close() {
      clients.close();
      await emulator.close();
    },
  };
}

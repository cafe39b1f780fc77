import type { AccessRules } from '../kit/access/access.ts';
import type { Provider } from '../kit/provider.ts';
import { authenticateFromConfig } from './auth/settings.ts';
import { mergeAccessRules } from './authorize/policy.ts';
import { gatewaySwitches, type GatewayConfig } from './config.ts';
import { limitsFromConfig } from './limits.ts';

/** The gateway's behaviour as its variables configure it: authentication, limits, switches. */
export function gatewayOptionsFromConfig(config: GatewayConfig) {
  return {
    authenticate: authenticateFromConfig(config),
    ...limitsFromConfig(config),
    ...gatewaySwitches(config),
    responseCacheTtlSeconds: config.RESPONSE_CACHE_TTL_SECONDS,
  };
}

/** The access rules of every provider, as one tree for the gateway. */
export function accessRulesOf(providers: readonly Provider[]): AccessRules {
  return mergeAccessRules(providers.map((provider) => provider.accessRules));
}

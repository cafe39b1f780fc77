import { readFileSync } from 'node:fs';
import { ConfigError } from '../kit/config.ts';
import { parsePersistedDocuments } from './persisted-documents/manifest.ts';
import type { TrustedDocumentsPolicy } from './persisted-documents/resolve.ts';
import type { AccessRules } from '../kit/access/access.ts';
import type { Provider } from '../kit/provider.ts';
import { authenticateFromConfig } from './auth/settings.ts';
import { mergeAccessRules } from './authorize/policy.ts';
import { gatewaySwitches, type GatewayConfig } from './config.ts';
import { limitsFromConfig } from './limits.ts';

/** The gateway's behaviour as its variables configure it: authentication, limits, switches, trusted documents. */
export function gatewayOptionsFromConfig(config: GatewayConfig) {
  return {
    authenticate: authenticateFromConfig(config),
    clockToleranceMs: config.JWT_CLOCK_TOLERANCE_SECONDS * 1000,
    ...limitsFromConfig(config),
    ...gatewaySwitches(config),
    responseCacheTtlSeconds: config.RESPONSE_CACHE_TTL_SECONDS,
    trustedDocuments: trustedDocumentsFromConfig(config),
  };
}

/** The manifest GATEWAY_PERSISTED_DOCUMENTS names, read at start-up (a ConfigError names what is wrong with it). */
export function trustedDocumentsFromConfig(config: GatewayConfig): TrustedDocumentsPolicy | undefined {
  const file = config.GATEWAY_PERSISTED_DOCUMENTS;
  if (!file) return undefined;
  try {
    return { documents: parsePersistedDocuments(readFileSync(file, 'utf8')), allowArbitrary: !config.GATEWAY_PERSISTED_DOCUMENTS_ONLY };
  } catch (error) {
    throw new ConfigError([`GATEWAY_PERSISTED_DOCUMENTS: ${file}: ${error instanceof Error ? error.message : String(error)}`]);
  }
}

/** The access rules of every provider, as one tree for the gateway. */
export function accessRulesOf(providers: readonly Provider[]): AccessRules {
  return mergeAccessRules(providers.map((provider) => provider.accessRules));
}

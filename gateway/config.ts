import { z } from 'zod';
import { baseConfigSchema, env } from '../kit/config.ts';
import { DEFAULT_LIMITS, DEFAULT_RATE_LIMIT } from './limits.ts';
import { unforwardable } from './execute/forwarded-headers.ts';

/** The gateway's own variables, on top of those every process reads. */
export const gatewayConfigSchema = baseConfigSchema
  .extend({
    GATEWAY_INTROSPECTION: env.optionalBoolean(),
    GATEWAY_LANDING_PAGE: env.optionalBoolean(),
    CORS_ORIGINS: env.list(),
    JWT_SECRET: z.preprocess((v) => (v === '' ? undefined : v), z.string().min(32, { message: 'must be at least 32 characters' }).optional()),
    JWT_JWKS_URL: env.url(['https:', 'http:']),
    JWT_ISSUER: env.string(),
    JWT_AUDIENCE: env.string(),
    JWT_CLOCK_TOLERANCE_SECONDS: env.nonNegativeInt(30, 300),
    GATEWAY_MAX_DEPTH: env.positiveInt(DEFAULT_LIMITS.maxDepth, 100),
    GATEWAY_MAX_ALIASES: env.positiveInt(DEFAULT_LIMITS.maxAliases, 1000),
    GATEWAY_MAX_DIRECTIVES: env.positiveInt(DEFAULT_LIMITS.maxDirectives, 1000),
    GATEWAY_MAX_TOKENS: env.positiveInt(DEFAULT_LIMITS.maxTokens, 1_000_000),
    GATEWAY_MAX_COST: env.positiveInt(DEFAULT_LIMITS.maxCost, 10_000_000),
    GATEWAY_MAX_BODY_BYTES: env.positiveInt(DEFAULT_LIMITS.maxBodyBytes, 16 * 1024 * 1024),
    GATEWAY_MAX_BATCH: env.positiveInt(DEFAULT_LIMITS.maxBatch, 100),
    GATEWAY_WS_KEEPALIVE_MS: env.positiveInt(DEFAULT_LIMITS.wsKeepAliveMs, 600_000),
    GATEWAY_WS_MAX_BUFFERED_BYTES: env.positiveInt(DEFAULT_LIMITS.wsMaxBufferedBytes, 1024 * 1024 * 1024),
    GATEWAY_WS_MAX_STALL_MS: env.positiveInt(DEFAULT_LIMITS.wsMaxStallMs, 600_000),
    GATEWAY_SUBGRAPH_TIMEOUT_MS: env.positiveInt(DEFAULT_LIMITS.subgraphTimeoutMs, 600_000),
    GATEWAY_REQUEST_TIMEOUT_MS: env.positiveInt(DEFAULT_LIMITS.requestTimeoutMs, 600_000),
    GATEWAY_SUBGRAPH_BREAKER_FAILURES: env.nonNegativeInt(DEFAULT_LIMITS.subgraphBreakerFailures, 1000),
    GATEWAY_SUBGRAPH_BREAKER_HALF_OPEN_MS: env.positiveInt(DEFAULT_LIMITS.subgraphBreakerHalfOpenMs, 600_000),
    RATE_LIMIT_BURST: env.positiveInt(DEFAULT_RATE_LIMIT.burst, 1_000_000),
    RATE_LIMIT_PER_SECOND: env.nonNegativeInt(DEFAULT_RATE_LIMIT.perSecond, 1_000_000),
    RATE_LIMIT_ON_STORE_ERROR: z.preprocess((v) => (v === '' ? undefined : v), z.enum(['open', 'closed']).default('open')),
    RESPONSE_CACHE_TTL_SECONDS: env.nonNegativeInt(0, 24 * 60 * 60),
    GATEWAY_PERSISTED_DOCUMENTS: env.string(),
    GATEWAY_PERSISTED_DOCUMENTS_ONLY: env.optionalBoolean(),
    GATEWAY_SHARE_OPERATIONS: env.optionalBoolean(),
    GATEWAY_FORWARD_HEADERS: env.list(),
    GATEWAY_OVERRIDE_LABELS: env.list(),
    GATEWAY_OVERRIDE_REQUEST_LABELS: env.list(),
    /** `npm start` only: how the gateway reaches the subgraphs it runs beside (`http`: over loopback, as a separate gateway would). */
    SUBGRAPH_TRANSPORT: z.preprocess((v) => (v === '' ? undefined : v), z.enum(['in-process', 'http']).default('in-process')),
  })
  .superRefine((config, ctx) => {
    if (config.JWT_JWKS_URL && config.JWT_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: 'set JWT_SECRET or JWT_JWKS_URL, not both' });
    }
    if (config.JWT_JWKS_URL && (!config.JWT_ISSUER || !config.JWT_AUDIENCE)) {
      ctx.addIssue({ code: 'custom', path: [config.JWT_ISSUER ? 'JWT_AUDIENCE' : 'JWT_ISSUER'], message: 'required with JWT_JWKS_URL' });
    }
    if (config.GATEWAY_PERSISTED_DOCUMENTS_ONLY && !config.GATEWAY_PERSISTED_DOCUMENTS) {
      ctx.addIssue({ code: 'custom', path: ['GATEWAY_PERSISTED_DOCUMENTS'], message: 'required with GATEWAY_PERSISTED_DOCUMENTS_ONLY (the manifest of the documents allowed)' });
    }
    // The cors middleware compares the Origin header with each entry exactly: one with a path or a trailing
    // slash (a URL copied from the address bar) would never match, and the browser would refuse every call.
    const notOrigins = (config.CORS_ORIGINS ?? []).flatMap((entry, index) => (isOrigin(entry) ? [] : [index + 1]));
    if (notOrigins.length > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['CORS_ORIGINS'],
        message: `${notOrigins.length === 1 ? 'entry' : 'entries'} ${notOrigins.join(', ')} ${notOrigins.length === 1 ? 'is not an origin' : 'are not origins'}: write each as a browser sends it, scheme://host or scheme://host:port, with no path, no trailing slash and no default port`,
      });
    }
    const reserved = unforwardable(config.GATEWAY_FORWARD_HEADERS ?? []);
    if (reserved.length > 0) {
      ctx.addIssue({ code: 'custom', path: ['GATEWAY_FORWARD_HEADERS'], message: `${reserved.join(', ')}: set by the gateway itself or about the connection, never forwarded` });
    }
    if (config.NODE_ENV === 'production' && !config.JWT_JWKS_URL && !config.JWT_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: 'required in production (or JWT_JWKS_URL with JWT_ISSUER and JWT_AUDIENCE)' });
    }
  });
export type GatewayConfig = z.output<typeof gatewayConfigSchema>;

/**
 * Whether `entry` is exactly what a browser sends as `Origin` (what the cors middleware compares with): for
 * http(s), the URL's own origin (lower-case host, no default port); for an app's scheme
 * (`capacitor://localhost`, `chrome-extension://…`), scheme and host with nothing after them.
 */
function isOrigin(entry: string): boolean {
  if (!/^[a-z][a-z0-9+.-]*:\/\/[^/?#\s]+$/.test(entry)) return false;
  if (!entry.startsWith('http://') && !entry.startsWith('https://')) return true;
  try {
    return new URL(entry).origin === entry;
  } catch {
    return false;
  }
}

/** Unset switches follow NODE_ENV: on in development, off in production. */
export function gatewaySwitches(config: GatewayConfig) {
  const production = config.NODE_ENV === 'production';
  return {
    production,
    introspection: config.GATEWAY_INTROSPECTION,
    landingPage: config.GATEWAY_LANDING_PAGE,
    corsOrigins: config.CORS_ORIGINS ?? (production ? [] : (true as const)),
    shareOperations: config.GATEWAY_SHARE_OPERATIONS ?? true,
    forwardHeaders: (config.GATEWAY_FORWARD_HEADERS ?? []).map((name) => name.toLowerCase()),
    overrideLabels: config.GATEWAY_OVERRIDE_LABELS ?? [],
    requestOverrideLabels: config.GATEWAY_OVERRIDE_REQUEST_LABELS ?? [],
  };
}

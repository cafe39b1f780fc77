import { z } from 'zod';
import { baseConfigSchema, env } from '../subgraphs/kit/config.ts';

/** The gateway's own variables, on top of those every process reads. */
export const gatewayConfigSchema = baseConfigSchema.extend({
  GATEWAY_INTROSPECTION: env.optionalBoolean(),
  GATEWAY_LANDING_PAGE: env.optionalBoolean(),
  CORS_ORIGINS: env.list(),
});
export type GatewayConfig = z.output<typeof gatewayConfigSchema>;

/** Unset switches follow NODE_ENV: on in development, off in production. */
export function gatewaySwitches(config: GatewayConfig) {
  const production = config.NODE_ENV === 'production';
  return {
    production,
    introspection: config.GATEWAY_INTROSPECTION,
    landingPage: config.GATEWAY_LANDING_PAGE,
    corsOrigins: config.CORS_ORIGINS ?? (production ? [] : (true as const)),
  };
}

import type { GatewayInterface, GatewaySchemaLoadOrUpdateCallback } from '@apollo/server-gateway-interface';
import type { GatewayContext } from '../execute/gateway-context.ts';
import type { PlanEngine } from './plan-engine.ts';

/**
 * The engine under Apollo Server, through the gateway interface (the way @apollo/gateway plugs in): Apollo
 * Server keeps parsing, validation (armor's limits included), its document cache, APQ and every plugin;
 * the engine gets each validated operation.
 */
export function planGateway(engine: PlanEngine, supergraphSdl: string, onStop: () => Promise<void>): GatewayInterface {
  const listeners = new Set<GatewaySchemaLoadOrUpdateCallback>();
  return {
    onSchemaLoadOrUpdate(callback) {
      listeners.add(callback);
      return () => listeners.delete(callback);
    },
    async load() {
      // Apollo Server reads the schema from this callback, and needs it before load() resolves.
      for (const listener of listeners) listener({ apiSchema: engine.schema, coreSupergraphSdl: supergraphSdl });
      return {
        executor: (requestContext) =>
          engine.execute({
            cacheKey: requestContext.queryHash,
            document: requestContext.document,
            operationName: requestContext.operationName ?? requestContext.request.operationName,
            variables: requestContext.request.variables,
            context: requestContext.context as GatewayContext,
          }),
      };
    },
    stop: onStop,
  };
}

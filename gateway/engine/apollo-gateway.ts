import type { GraphQLSchema } from 'graphql';
import type { GatewayInterface, GatewaySchemaLoadOrUpdateCallback } from '@apollo/server-gateway-interface';
import type { GatewayContext } from '../execute/gateway-context.ts';
import type { PlanEngine } from './plan-engine.ts';

/** One supergraph being served: its SDL and the engine built from it. */
export interface ServedEngine {
  readonly engine: PlanEngine;
  readonly supergraphSdl: string;
}

export interface PlanGateway extends GatewayInterface {
  /** Serves another supergraph from now on: Apollo Server takes its schema for every new request. */
  update(next: ServedEngine): void;
}

/**
 * The engine under Apollo Server, through the gateway interface (the way @apollo/gateway plugs in): Apollo
 * Server keeps parsing, validation (armor's limits included), its document cache, APQ and every plugin;
 * the engine gets each validated operation. After `update`, Apollo validates new requests against the new
 * schema, and each request is executed by the engine of the schema it was validated against, so requests
 * in flight during a reload finish on the supergraph they started with.
 */
export function planGateway(initial: ServedEngine, onStop: () => Promise<void>): PlanGateway {
  const listeners = new Set<GatewaySchemaLoadOrUpdateCallback>();
  let current = initial;
  const engines = new WeakMap<GraphQLSchema, PlanEngine>([[initial.engine.schema, initial.engine]]);
  const announce = () => {
    for (const listener of listeners) listener({ apiSchema: current.engine.schema, coreSupergraphSdl: current.supergraphSdl });
  };
  return {
    onSchemaLoadOrUpdate(callback) {
      listeners.add(callback);
      return () => listeners.delete(callback);
    },
    async load() {
      // Apollo Server reads the schema from this callback, and needs it before load() resolves.
      announce();
      return {
        executor: (requestContext) =>
          (engines.get(requestContext.schema) ?? current.engine).execute({
            cacheKey: requestContext.queryHash,
            document: requestContext.document,
            operationName: requestContext.operationName ?? requestContext.request.operationName,
            variables: requestContext.request.variables,
            context: requestContext.context as GatewayContext,
          }),
      };
    },
    update(next) {
      current = next;
      engines.set(next.engine.schema, next.engine);
      announce();
    },
    stop: onStop,
  };
}

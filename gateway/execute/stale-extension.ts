import type { ApolloServerPlugin } from '@apollo/server';
import type { GatewayContext } from './gateway-context.ts';

/**
 * `extensions.stale`: which entities were answered from cache past their TTL because their provider was
 * failing, and since when they are stale. A client can show them with a warning, or retry later.
 */
export const staleExtensionPlugin: ApolloServerPlugin<GatewayContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ response, contextValue }) {
        const stale = contextValue.stale ?? [];
        if (stale.length === 0 || response.body.kind !== 'single') return;
        const unique = stale.filter((report, i) => stale.findIndex((r) => r.provider === report.provider && r.kind === report.kind && r.id === report.id) === i);
        response.body.singleResult.extensions = { ...response.body.singleResult.extensions, stale: unique };
      },
    };
  },
};

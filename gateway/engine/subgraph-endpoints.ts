/**
 * Where each subgraph of a supergraph is reached. The supergraph names a URL per subgraph; a deployment
 * may move them (`npm start` picks free ports, a cluster has service names), so overrides win.
 */
export type SubgraphUrls = Readonly<Record<string, string>>;

export function resolveEndpoint(name: string, supergraphUrl: string | undefined, overrides: SubgraphUrls): string {
  const override = overrides[name] ?? overrides[name.toLowerCase()];
  const endpoint = override ?? supergraphUrl;
  if (!endpoint) throw new Error(`subgraph "${name}" has no URL in the supergraph and none was configured`);
  return endpoint;
}

/** The same endpoint over WebSocket, where subscriptions go. */
export function webSocketUrl(httpUrl: string): string {
  const url = new URL(httpUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}

/** Subgraph URL overrides from the environment: SUBGRAPH_URL_<NAME>=http://... */
export function subgraphUrlsFromEnv(env: Record<string, string | undefined>): Record<string, string> {
  return byNameFromEnv(env, /^SUBGRAPH_URL_(.+)$/);
}

/** Health check URLs from the environment: SUBGRAPH_HEALTH_URL_<NAME>=http://.../healthz (readiness GETs it). */
export function subgraphHealthUrlsFromEnv(env: Record<string, string | undefined>): Record<string, string> {
  return byNameFromEnv(env, /^SUBGRAPH_HEALTH_URL_(.+)$/);
}

function byNameFromEnv(env: Record<string, string | undefined>, pattern: RegExp): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).flatMap(([variable, value]) => {
      const match = pattern.exec(variable);
      return match && value ? [[match[1]!.toLowerCase(), value]] : [];
    }),
  );
}

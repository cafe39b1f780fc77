import { failureDetail, probe, type HealthReport } from '../../kit/health.ts';
import { ANONYMOUS_CALLER } from '../../kit/access/principal.ts';
import { PRINCIPAL_HEADER, type PrincipalTokens } from '../../kit/access/principal-token.ts';

/** A subgraph's own view of its provider: reachable or not, and its breaker (closed, half-open, open). */
export interface ProviderHealth extends HealthReport {
  breaker?: string;
}

export interface ReadinessReport {
  ok: boolean;
  subgraphs: Record<string, HealthReport>;
  providers: Record<string, ProviderHealth>;
  cache: HealthReport;
}

/**
 * A subgraph is reachable when it answers `{ __typename }`, the cheapest operation every subgraph serves,
 * signed as the gateway's anonymous caller (it also proves the subgraph shares the gateway's secret).
 */
export async function probeSubgraph(url: string, timeoutMs: number, signature: string): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [PRINCIPAL_HEADER]: signature },
    body: JSON.stringify({ query: '{ __typename }' }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (!response.ok) throw new Error(`status ${response.status}`);
  await response.body?.cancel();
}

/** A subgraph's own health endpoint (configured per subgraph): ready when it answers 2xx. */
export async function probeHealthUrl(url: string, timeoutMs: number): Promise<void> {
  const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  await response.body?.cancel();
  if (!response.ok) throw new Error(`status ${response.status}`);
}

/** The subgraph's `GET /health`: its provider's reachability and breaker state. */
export async function providerHealth(graphqlUrl: string, timeoutMs: number): Promise<ProviderHealth> {
  try {
    const response = await fetch(new URL('/health', graphqlUrl), { signal: AbortSignal.timeout(timeoutMs) });
    const body = (await response.json()) as ProviderHealth;
    return { ok: body.ok === true, ...(body.latencyMs !== undefined ? { latencyMs: body.latencyMs } : {}), ...(body.detail ? { detail: body.detail } : {}), ...(body.breaker ? { breaker: body.breaker } : {}) };
  } catch (error) {
    return { ok: false, detail: failureDetail(error) };
  }
}

/**
 * Ready: the supergraph is loaded (true once the server runs), every subgraph answers, and the cache store
 * too. Providers are reported (with their breakers) but do not decide readiness: with one provider down
 * the gateway still answers everything the others can.
 */
export async function checkReadiness({
  endpoints,
  healthUrls = {},
  providerSubgraphs,
  pingCache,
  tokens,
  timeoutMs = 2000,
}: {
  endpoints: ReadonlyMap<string, string>;
  /** Per subgraph, a health URL to GET instead of asking it `{ __typename }` (SUBGRAPH_HEALTH_URL_<NAME>). */
  healthUrls?: Readonly<Record<string, string>>;
  /** The subgraphs that serve `GET /health` with their provider's health (ours); a foreign one does not. */
  providerSubgraphs: readonly string[];
  pingCache: () => Promise<void>;
  tokens: PrincipalTokens;
  timeoutMs?: number;
}): Promise<ReadinessReport> {
  const names = [...endpoints.keys()];
  const [cache, subgraphReports, providerReports] = await Promise.all([
    probe(pingCache),
    Promise.all(
      names.map((name) => {
        const healthUrl = healthUrls[name];
        return probe(() => (healthUrl ? probeHealthUrl(healthUrl, timeoutMs) : probeSubgraph(endpoints.get(name)!, timeoutMs, tokens.forCaller(ANONYMOUS_CALLER))));
      }),
    ),
    Promise.all(providerSubgraphs.map((name) => providerHealth(endpoints.get(name)!, timeoutMs))),
  ]);
  const subgraphs = Object.fromEntries(names.map((name, i) => [name, subgraphReports[i]!]));
  const providers = Object.fromEntries(providerSubgraphs.map((name, i) => [name, providerReports[i]!]));
  return { ok: cache.ok && subgraphReports.every((r) => r.ok), subgraphs, providers, cache };
}

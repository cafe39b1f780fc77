import { probe, type HealthReport } from '../../subgraphs/kit/health.ts';
import { ANONYMOUS_CALLER } from '../../subgraphs/kit/principal.ts';
import { PRINCIPAL_HEADER, type PrincipalTokens } from '../../subgraphs/kit/principal-token.ts';

export interface ReadinessReport {
  ok: boolean;
  subgraphs: Record<string, HealthReport>;
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

/** Ready: the supergraph is loaded (true once the server runs), every subgraph answers, and the cache store too. */
export async function checkReadiness({
  endpoints,
  pingCache,
  tokens,
  timeoutMs = 2000,
}: {
  endpoints: ReadonlyMap<string, string>;
  tokens: PrincipalTokens;
  pingCache: () => Promise<void>;
  timeoutMs?: number;
}): Promise<ReadinessReport> {
  const names = [...endpoints.keys()];
  const [cache, ...reports] = await Promise.all([
    probe(pingCache),
    ...names.map((name) => probe(() => probeSubgraph(endpoints.get(name)!, timeoutMs, tokens.forCaller(ANONYMOUS_CALLER)))),
  ]);
  const subgraphs = Object.fromEntries(names.map((name, i) => [name, reports[i]!]));
  return { ok: cache.ok && reports.every((r) => r.ok), subgraphs, cache };
}

import { probe, type HealthReport } from '../../subgraphs/kit/health.ts';

export interface ReadinessReport {
  ok: boolean;
  subgraphs: Record<string, HealthReport>;
  cache: HealthReport;
}

/** A subgraph is reachable when it answers `{ __typename }`, the cheapest operation every subgraph serves. */
export async function probeSubgraph(url: string, timeoutMs: number): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
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
  timeoutMs = 2000,
}: {
  endpoints: ReadonlyMap<string, string>;
  pingCache: () => Promise<void>;
  timeoutMs?: number;
}): Promise<ReadinessReport> {
  const names = [...endpoints.keys()];
  const [cache, ...reports] = await Promise.all([
    probe(pingCache),
    ...names.map((name) => probe(() => probeSubgraph(endpoints.get(name)!, timeoutMs))),
  ]);
  const subgraphs = Object.fromEntries(names.map((name, i) => [name, reports[i]!]));
  return { ok: cache.ok && reports.every((r) => r.ok), subgraphs, cache };
}

import { sameStep, type GatewayResult, type LevelResult } from './report.ts';

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
};

/**
 * One gateway's rounds folded into one result: for each step (callers and concurrency), the round with the median
 * requests/s (all its figures, so that latencies and req/s come from the same run), with every round's
 * req/s kept beside it (at a single connection, req/s is the inverse of the mean latency); peak RSS is the highest of any round. On a shared machine whose CPU speed drifts
 * from one minute to the next, the median of interleaved rounds keeps the ratios between gateways steady
 * where a single run per gateway does not. A gateway that failed in any round is reported failed.
 */
export function foldRounds(rounds: readonly GatewayResult[]): GatewayResult {
  const failed = rounds.find((r) => r.status === 'failed');
  if (failed || rounds.length === 0) return failed ?? { id: '', label: '', node: '', status: 'failed', error: 'no rounds', levels: [] };
  const first = rounds[0]!;
  const levels = first.levels.map((step): LevelResult => {
    const atLevel = rounds.flatMap((r) => r.levels.filter((l) => sameStep(l, step)));
    const rps = atLevel.map((l) => l.rps);
    const chosen = atLevel.find((l) => l.rps === median(rps))!;
    return { ...chosen, roundsRps: rps };
  });
  const peaks = rounds.flatMap((r) => (r.peakRssMiB === undefined ? [] : [r.peakRssMiB]));
  return { ...first, levels, ...(peaks.length > 0 ? { peakRssMiB: Math.max(...peaks) } : {}) };
}

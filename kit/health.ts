/** What a health check reports. `ok: false` makes readiness fail. */
export interface HealthReport {
  ok: boolean;
  latencyMs?: number;
  detail?: string;
}

/** Times a probe; a thrown error is reported as not ok, with a message safe to show operators. */
export async function probe(check: () => Promise<unknown>, now: () => number = performance.now.bind(performance)): Promise<HealthReport> {
  const started = now();
  try {
    await check();
    return { ok: true, latencyMs: Math.round(now() - started) };
  } catch (error) {
    return { ok: false, latencyMs: Math.round(now() - started), detail: error instanceof Error ? error.name : 'unreachable' };
  }
}

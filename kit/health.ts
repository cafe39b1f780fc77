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
    return { ok: false, latencyMs: Math.round(now() - started), detail: failureDetail(error) };
  }
}

/**
 * What went wrong, safe to show operators (never a message, which may carry a URL with credentials): the
 * system's code when the connection failed (fetch wraps it: `ECONNREFUSED`, `ENOTFOUND`, …), a status the
 * check itself reported (`status 503`), otherwise the error's name (`TimeoutError`) or class.
 */
export function failureDetail(error: unknown): string {
  if (!(error instanceof Error)) return 'unreachable';
  const code = (error.cause as { code?: unknown } | undefined)?.code ?? (error as { code?: unknown }).code;
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return code;
  if (/^status \d{3}$/.test(error.message)) return error.message;
  // Many libraries leave `name` as "Error"; their class says more (node-redis's ClientOfflineError).
  return error.name === 'Error' && error.constructor.name !== 'Error' ? error.constructor.name : error.name;
}

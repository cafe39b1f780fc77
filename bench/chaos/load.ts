/** Sends a number of operations at a fixed concurrency and counts what came back, and when. */
import { judge, type GraphQLAnswer, type Verdict } from './answers.ts';

export interface LoadOptions {
  url: string;
  query: string;
  headers: Record<string, string>;
  operations: number;
  concurrency: number;
  /** The answer promised by (the gateway's operation deadline): later is counted as late. */
  deadlineMs: number;
  /** Past this the client gives up and counts the operation as hung. */
  giveUpMs: number;
  baseline: Record<string, unknown>;
}

export interface LoadResult {
  sent: number;
  answered: number;
  withinDeadline: number;
  hung: number;
  verdicts: Record<Verdict, number>;
  errorsByCode: Record<string, number>;
  /** Up to three distinct errors of each code, as the client saw them (path: message), to read what happened. */
  sampleErrors: Record<string, string[]>;
  p50Ms: number;
  slowestMs: number;
}

export async function sendOperations(options: LoadOptions): Promise<LoadResult> {
  const result: LoadResult = {
    sent: 0,
    answered: 0,
    withinDeadline: 0,
    hung: 0,
    verdicts: { complete: 0, partial: 0, wrong: 0, 'no data': 0 },
    errorsByCode: {},
    sampleErrors: {},
    p50Ms: 0,
    slowestMs: 0,
  };
  const latencies: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < options.operations) {
      next++;
      result.sent++;
      const started = performance.now();
      const outcome = await sendOne(options);
      const ms = performance.now() - started;
      if (outcome === 'hung') {
        result.hung++;
        continue;
      }
      latencies.push(ms);
      result.answered++;
      if (ms <= options.deadlineMs) result.withinDeadline++;
      result.verdicts[judge(outcome.status, outcome.answer, options.baseline)]++;
      for (const error of outcome.answer?.errors ?? []) {
        const code = error.extensions?.code ?? 'none';
        result.errorsByCode[code] = (result.errorsByCode[code] ?? 0) + 1;
        const samples = (result.sampleErrors[code] ??= []);
        const sample = `${(error.path ?? []).join('.')}: ${error.message}`;
        if (samples.length < 3 && !samples.includes(sample)) samples.push(sample);
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  latencies.sort((a, b) => a - b);
  result.p50Ms = Math.round(latencies[Math.floor(latencies.length / 2)] ?? 0);
  result.slowestMs = Math.round(latencies.at(-1) ?? 0);
  return result;
}

async function sendOne({ url, query, headers, giveUpMs }: LoadOptions): Promise<{ status: number; answer: GraphQLAnswer | undefined } | 'hung'> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query }),
      signal: AbortSignal.timeout(giveUpMs),
    });
    const text = await response.text();
    let answer: GraphQLAnswer | undefined;
    try {
      answer = JSON.parse(text) as GraphQLAnswer;
    } catch {
      answer = undefined;
    }
    return { status: response.status, answer };
  } catch (error) {
    if ((error as Error).name === 'TimeoutError') return 'hung';
    // A refused or reset connection is an answer of sorts: no data.
    return { status: 0, answer: undefined };
  }
}

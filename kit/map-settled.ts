import { settledOrTurn } from './one-after-another.ts';

/**
 * Runs `task` over `items` with at most `concurrency` in flight, keeping order. A failure becomes that
 * item's Error instead of failing the rest, which is what a DataLoader batch function must return.
 *
 * Workers start one after another (settledOrTurn): started together, the first of eight X timeline requests
 * left only once the eighth had been built too, about 2 ms later on this machine, and each second-round
 * request waits for a first-round answer.
 */
export async function mapSettled<Item, Result>(
  items: readonly Item[],
  concurrency: number,
  task: (item: Item) => Promise<Result>,
): Promise<(Result | Error)[]> {
  const results = new Array<Result | Error>(items.length);
  let next = 0;
  const run = async (index: number) => {
    try {
      results[index] = await task(items[index] as Item);
    } catch (error) {
      results[index] = error instanceof Error ? error : new Error(String(error));
    }
  };
  const worker = async (first: Promise<void>) => {
    await first;
    while (next < items.length) await run(next++);
  };
  const workers: Promise<void>[] = [];
  for (let started = 0; started < Math.min(concurrency, items.length) && next < items.length; started++) {
    const first = run(next++);
    workers.push(worker(first));
    if (next < items.length && started + 1 < concurrency) await settledOrTurn(first);
  }
  await Promise.all(workers);
  return results;
}

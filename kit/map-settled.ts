/**
 * Runs `task` over `items` with at most `concurrency` in flight, keeping order. A failure becomes that
 * item's Error instead of failing the rest, which is what a DataLoader batch function must return.
 */
export async function mapSettled<Item, Result>(
  items: readonly Item[],
  concurrency: number,
  task: (item: Item) => Promise<Result>,
): Promise<(Result | Error)[]> {
  const results = new Array<Result | Error>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      try {
        results[index] = await task(items[index] as Item);
      } catch (error) {
        results[index] = error instanceof Error ? error : new Error(String(error));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

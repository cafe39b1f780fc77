/**
 * `make()` run on first use and its result kept for every later call; a failure is not kept, so the next
 * call tries again (a provider lookup that failed, a page that could not be built).
 */
export function onceSucceeded<T>(make: () => Promise<T>): () => Promise<T> {
  let result: Promise<T> | undefined;
  return () => {
    result ??= make().catch((error: unknown) => {
      result = undefined;
      throw error;
    });
    return result;
  };
}

/**
 * Resolves once `work` has settled or the event loop has turned, whichever comes first: by then what `work`
 * started has gone out to I/O (node:http writes a request on a next tick, after every pending promise
 * job). Starting concurrent work this way, rather than all in one go, keeps their promise chains from
 * interleaving, so the first request leaves as soon as it is built instead of when the last one is. Work
 * that settles without I/O (a cache hit) lets the next start at once, without waiting for a turn.
 */
export function settledOrTurn(work: Promise<unknown>): Promise<void> {
  return new Promise((resolve) => {
    const turn = setImmediate(resolve);
    const settled = () => {
      clearImmediate(turn);
      resolve();
    };
    work.then(settled, settled);
  });
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mapSettled } from '../../kit/map-settled.ts';
import { startPathServer, type PathServer } from '../support/path-server.ts';

/** Promise jobs standing for an SDK building its request (each await is one job, as in the SDKs' chains). */
async function build(jobs: number): Promise<void> {
  for (let job = 0; job < jobs; job++) await Promise.resolve();
}

describe('mapSettled', () => {
  let server: PathServer;
  beforeAll(async () => {
    server = await startPathServer((path) => path);
  });
  afterAll(() => server.close());
  const get = (path: string) => server.get(path);

  it('starts each task once the one before has gone out to I/O, not all together', async () => {
    const events: string[] = [];
    const results = await mapSettled([0, 1, 2, 3], 4, async (item) => {
      events.push(`start ${item}`);
      await build(20);
      events.push(`request ${item}`);
      return get(`/${item}`);
    });
    expect(results).toEqual(['/0', '/1', '/2', '/3']);
    // Started together, every task would be built before the first request was made.
    expect(events).toEqual(['start 0', 'request 0', 'start 1', 'request 1', 'start 2', 'request 2', 'start 3', 'request 3']);
  });

  it('does not wait for the event loop when tasks settle without I/O (cache hits)', async () => {
    let turned = false;
    const turn = setImmediate(() => (turned = true));
    const results = await mapSettled([1, 2, 3, 4, 5, 6], 3, async (item) => {
      await build(5);
      return item * 10;
    });
    clearImmediate(turn);
    expect(results).toEqual([10, 20, 30, 40, 50, 60]);
    expect(turned).toBe(false);
  });

  it('keeps at most `concurrency` tasks in flight, keeps order, and turns failures into that item’s Error', async () => {
    let inFlight = 0;
    let most = 0;
    const results = await mapSettled([0, 1, 2, 3, 4, 5, 6], 3, async (item) => {
      inFlight++;
      most = Math.max(most, inFlight);
      try {
        const answer = await get(`/${item}`);
        if (item === 4) throw new Error('item 4 failed');
        return answer;
      } finally {
        inFlight--;
      }
    });
    expect(most).toBe(3);
    expect(results.map((result) => (result instanceof Error ? result.message : result))).toEqual(['/0', '/1', '/2', '/3', 'item 4 failed', '/5', '/6']);
  });
});

import { readFile } from 'node:fs/promises';
import { unwatchFile, watchFile, type Stats } from 'node:fs';

/** Where new supergraphs come from after start-up; `stop` ends the watching. */
export interface SupergraphSource {
  stop(): void;
}

/**
 * Calls `onChange` with the file's text each time the file changes. Polls its status (fs.watchFile) rather
 * than subscribing to inotify events: editors and deploy tools replace the file by renaming a new one over
 * it, which a plain fs.watch loses track of.
 */
export function watchSupergraphFile(path: string, { intervalMs = 1000, onChange, onError }: { intervalMs?: number; onChange(sdl: string): Promise<void>; onError(error: Error): void }): SupergraphSource {
  let reading: Promise<void> = Promise.resolve();
  const listener = (current: Stats, previous: Stats) => {
    if (current.mtimeMs === previous.mtimeMs && current.size === previous.size && current.ino === previous.ino) return;
    // One reload at a time, in the order the changes were seen.
    reading = reading.then(async () => {
      try {
        await onChange(await readFile(path, 'utf8'));
      } catch (error) {
        onError(error instanceof Error ? error : new Error(String(error)));
      }
    });
  };
  watchFile(path, { interval: intervalMs, persistent: false }, listener);
  return { stop: () => unwatchFile(path, listener) };
}

export interface SupergraphFetch {
  readonly url: string;
  /** Sent with every request (a registry's or CDN's key, e.g. `X-Hive-CDN-Key`). */
  readonly headers?: Readonly<Record<string, string>>;
  readonly timeoutMs?: number;
}

/** The supergraph at `url`, or `undefined` when it has not changed since `etag` (304 Not Modified). */
export async function fetchSupergraph({ url, headers = {}, timeoutMs = 10_000 }: SupergraphFetch, etag?: string): Promise<{ sdl: string; etag: string | undefined } | undefined> {
  const response = await fetch(url, { headers: { accept: 'text/plain, application/graphql, */*', ...headers, ...(etag ? { 'if-none-match': etag } : {}) }, signal: AbortSignal.timeout(timeoutMs) });
  if (response.status === 304) {
    await response.body?.cancel();
    return undefined;
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new Error(`${url} answered ${response.status}`);
  }
  return { sdl: await response.text(), etag: response.headers.get('etag') ?? undefined };
}

/**
 * Asks `url` for the supergraph every `intervalMs`, with the last ETag (a registry or CDN answers 304 when
 * nothing changed), and calls `onChange` with a new one. A failed poll is reported and the next one tried
 * on schedule: the supergraph already served stays.
 */
export function pollSupergraphUrl(
  source: SupergraphFetch,
  { intervalMs, etag: initialEtag, onChange, onError }: { intervalMs: number; etag?: string | undefined; onChange(sdl: string): Promise<void>; onError(error: Error): void },
): SupergraphSource {
  let etag = initialEtag;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const poll = async () => {
    try {
      const fetched = await fetchSupergraph(source, etag);
      if (fetched) {
        // Remembered first: a supergraph that is refused is reported once, not at every poll.
        etag = fetched.etag;
        await onChange(fetched.sdl);
      }
    } catch (error) {
      onError(error instanceof Error ? error : new Error(String(error)));
    }
    if (!stopped) schedule();
  };
  const schedule = () => {
    timer = setTimeout(() => void poll(), intervalMs);
    timer.unref();
  };
  schedule();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}

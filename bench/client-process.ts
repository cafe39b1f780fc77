/**
 * The benchmark's GraphQL client, in a process of its own: a real client's work (building the request,
 * reading and parsing the answer) never runs on the gateway's thread, so it must not be counted in the
 * gateway's latency (bench:providers runs the app in its own process). Forked with an IPC channel; each
 * message is one request, answered with when it was sent and answered (epoch ms, comparable across
 * processes) and what the answer said.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface ClientRequest {
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

export interface ClientAnswer {
  /** When the request was handed to fetch and when its whole body had been parsed, on the epoch clock (ms, µs resolution). */
  readonly sentAt: number;
  readonly answeredAt: number;
  readonly status: number;
  /** The answer's errors as JSON (cut short), if it had any. */
  readonly errors?: string;
  /** Whether it carried an `age` header (served from the gateway's response cache). */
  readonly cached: boolean;
}

/** Epoch ms of this process's `performance.now()` reading `at`, and back: how two processes' timings line up. */
export const toEpoch = (at: number) => performance.timeOrigin + at;
export const fromEpoch = (epoch: number) => epoch - performance.timeOrigin;

interface Envelope {
  readonly id: number;
}

/** Starts the client process; `ask` sends one request through it. */
export async function startClientProcess(): Promise<{ ask(request: ClientRequest): Promise<ClientAnswer>; close(): Promise<void> }> {
  const child = fork(fileURLToPath(import.meta.url), ['serve'], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const pending = new Map<number, (answer: ClientAnswer) => void>();
  let next = 0;
  child.on('message', (message) => {
    const { id, ...answer } = message as Envelope & ClientAnswer;
    pending.get(id)?.(answer);
    pending.delete(id);
  });
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the client process exited (${code})`)));
  });
  return {
    ask: (request) =>
      new Promise((resolve) => {
        const id = next++;
        pending.set(id, resolve);
        child.send({ id, ...request });
      }),
    close: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.disconnect();
      }),
  };
}

async function serve() {
  process.on('message', (message) => {
    const { id, url, headers, body } = message as Envelope & ClientRequest;
    void (async () => {
      const sentAt = toEpoch(performance.now());
      let answer: Envelope & ClientAnswer;
      try {
        const response = await fetch(url, { method: 'POST', headers, body });
        const parsed = (await response.json()) as { errors?: unknown[] };
        const answeredAt = toEpoch(performance.now());
        answer = {
          id,
          sentAt,
          answeredAt,
          status: response.status,
          cached: response.headers.has('age'),
          ...(parsed.errors ? { errors: JSON.stringify(parsed.errors).slice(0, 300) } : {}),
        };
      } catch (error) {
        // Reported to the parent, which fails the run: a request that never got an answer is no timing.
        answer = { id, sentAt, answeredAt: toEpoch(performance.now()), status: 0, cached: false, errors: String(error) };
      }
      process.send?.(answer);
    })();
  });
  // Ready: the parent sends nothing before this.
  process.send?.({ id: -1 });
}

if (process.argv[2] === 'serve') await serve();

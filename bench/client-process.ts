/**
 * The benchmark's GraphQL client, in a process of its own: a real client's work (building the request,
 * reading and parsing the answer) never runs on the gateway's thread, so it must not be counted in the
 * gateway's latency (bench:providers runs the app in its own process). Forked with an IPC channel; each
 * message is one request, answered with when it was sent and answered (epoch ms, comparable across
 * processes) and what the answer said.
 */
import { fork } from 'node:child_process';
import diagnostics from 'node:diagnostics_channel';
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
  /**
   * When its head was written to the socket and when the answer's last byte had been read (undici's
   * diagnostics channels): the request's latency as load generators measure it, without the client's own
   * work of building the request and parsing the answer.
   */
  readonly onWire: { readonly sentAt: number; readonly answeredAt: number };
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

/** The header that ties undici's own request object (what its diagnostics channels name) to a message. */
const REQUEST_ID_HEADER = 'x-bench-client-request';

/** When each request (by its id) went on the wire and when its answer's last byte came back. */
function traceWire() {
  const ids = new WeakMap<object, number>();
  const times = new Map<number, { sentAt?: number; answeredAt?: number }>();
  const idIn = (headers: unknown): number | undefined => {
    // undici's core request keeps its headers as a flat [name, value, ...] array or as one raw block.
    if (Array.isArray(headers)) {
      for (let i = 0; i < headers.length; i += 2) if (String(headers[i]).toLowerCase() === REQUEST_ID_HEADER) return Number(headers[i + 1]);
      return undefined;
    }
    const match = typeof headers === 'string' ? new RegExp(`${REQUEST_ID_HEADER}: (\\d+)`, 'i').exec(headers) : null;
    return match ? Number(match[1]) : undefined;
  };
  const at = (message: unknown, field: 'sentAt' | 'answeredAt') => {
    const id = ids.get((message as { request: object }).request);
    if (id !== undefined) times.set(id, { ...times.get(id), [field]: toEpoch(performance.now()) });
  };
  diagnostics.subscribe('undici:request:create', (message) => {
    const { request } = message as { request: { headers: unknown } };
    const id = idIn(request.headers);
    if (id !== undefined) ids.set(request, id);
  });
  diagnostics.subscribe('undici:client:sendHeaders', (message) => at(message, 'sentAt'));
  diagnostics.subscribe('undici:request:trailers', (message) => at(message, 'answeredAt'));
  return (id: number) => {
    const recorded = times.get(id);
    times.delete(id);
    return recorded;
  };
}

async function serve() {
  const wire = traceWire();
  process.on('message', (message) => {
    const { id, url, headers, body } = message as Envelope & ClientRequest;
    void (async () => {
      const sentAt = toEpoch(performance.now());
      let answer: Envelope & ClientAnswer;
      try {
        const response = await fetch(url, { method: 'POST', headers: { ...headers, [REQUEST_ID_HEADER]: String(id) }, body });
        const parsed = (await response.json()) as { errors?: unknown[] };
        const answeredAt = toEpoch(performance.now());
        const onWire = wire(id);
        answer = {
          id,
          sentAt,
          answeredAt,
          onWire: { sentAt: onWire?.sentAt ?? NaN, answeredAt: onWire?.answeredAt ?? NaN },
          status: response.status,
          cached: response.headers.has('age'),
          ...(parsed.errors ? { errors: JSON.stringify(parsed.errors).slice(0, 300) } : {}),
          // A timing that could not be taken fails the run rather than pass for one.
          ...(onWire?.sentAt === undefined || onWire.answeredAt === undefined ? { errors: 'undici reported no wire timing for this request' } : {}),
        };
      } catch (error) {
        // Reported to the parent, which fails the run: a request that never got an answer is no timing.
        const answeredAt = toEpoch(performance.now());
        wire(id);
        answer = { id, sentAt, answeredAt, onWire: { sentAt, answeredAt }, status: 0, cached: false, errors: String(error) };
      }
      process.send?.(answer);
    })();
  });
  // Ready: the parent sends nothing before this.
  process.send?.({ id: -1 });
}

if (process.argv[2] === 'serve') await serve();

import { createServer } from 'node:net';

/**
 * Ports derived from the gateway's PORT, so one variable moves the whole stack: subgraph i listens on
 * PORT + 1 + i, emulator i on PORT + 11 + i. PORT=0 gives every server a free port (tests).
 */
export function derivedPort(gatewayPort: number, offset: number, index: number): number {
  return gatewayPort === 0 ? 0 : gatewayPort + offset + index;
}

export const SUBGRAPH_PORT_OFFSET = 1;
export const EMULATOR_PORT_OFFSET = 11;

/** The ports `npm start` claims for a PORT, with `subgraphs` subgraphs (one per provider) and `emulators` emulators. */
export interface ClaimedPorts {
  readonly gateway: number;
  readonly subgraphs: readonly [first: number, last: number];
  readonly emulators: readonly [first: number, last: number];
  /** The highest port of the range, PORT + EMULATOR_PORT_OFFSET + emulators - 1 (or the last subgraph's). */
  readonly last: number;
}

export function claimedPorts(gatewayPort: number, subgraphs: number, emulators = subgraphs): ClaimedPorts {
  const last = (offset: number, count: number) => gatewayPort + offset + Math.max(count, 1) - 1;
  return {
    gateway: gatewayPort,
    subgraphs: [gatewayPort + SUBGRAPH_PORT_OFFSET, last(SUBGRAPH_PORT_OFFSET, subgraphs)],
    emulators: [gatewayPort + EMULATOR_PORT_OFFSET, last(EMULATOR_PORT_OFFSET, emulators)],
    last: Math.max(last(EMULATOR_PORT_OFFSET, emulators), last(SUBGRAPH_PORT_OFFSET, subgraphs)),
  };
}

/** A start-up failure because a port of the range is taken: its message says which, who wanted it, and what to do. */
export class PortInUseError extends Error {
  readonly port: number;
  readonly component: string;
  override readonly name = 'PortInUseError';
  constructor(message: string, port: number, component: string, options?: ErrorOptions) {
    super(message, options);
    this.port = port;
    this.component = component;
  }
}

export interface PortInUse {
  /** Who wanted the port: "the gateway", "the s3 subgraph", "the stripe emulator". */
  readonly component: string;
  readonly port: number;
  readonly host: string;
  /** The PORT the range was derived from. */
  readonly gatewayPort: number;
  /** How many providers the stack serves (one subgraph each). */
  readonly providers: number;
  /** How many of them run an emulator (default: all). */
  readonly emulators?: number;
}

const range = ([first, last]: readonly [number, number]) => (first === last ? `${first}` : `${first}…${last}`);

/** Another range to suggest: 100 higher, or back at 4100 when that would run past the last port. */
function anotherPort(gatewayPort: number, providers: number, emulators: number): number {
  const next = gatewayPort + 100;
  return claimedPorts(next, providers, emulators).last <= 65_535 ? next : 4100;
}

/** What `npm start` says when a port it derived from PORT is taken. */
export function portInUseMessage({ component, port, host, gatewayPort, providers, emulators = providers }: PortInUse): string {
  const claimed = claimedPorts(gatewayPort, providers, emulators);
  return [
    `Port ${port} (${host}) is already in use: ${component} could not listen on it.`,
    `PORT=${gatewayPort} claims ports ${gatewayPort}…${claimed.last}: the gateway ${gatewayPort}, subgraphs ${range(claimed.subgraphs)}, emulators ${range(claimed.emulators)}.`,
    `Another instance (an earlier npm start still running, or one left behind) may hold it: stop it, or move the whole range, e.g. PORT=${anotherPort(gatewayPort, providers, emulators)} npm start.`,
  ].join('\n');
}

/** Whether `error` (or what it wraps) is a listen() failure because the address is taken. */
export function isAddressInUse(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    if ((current as NodeJS.ErrnoException).code === 'EADDRINUSE') return true;
  }
  return false;
}

/** `error` as a PortInUseError when it is one (EADDRINUSE), otherwise unchanged. */
export function explainPortInUse(error: unknown, where: PortInUse): unknown {
  return isAddressInUse(error) ? new PortInUseError(portInUseMessage(where), where.port, where.component, { cause: error }) : error;
}

/**
 * The first of `wanted` that something already listens on at `host`, found by listening on each briefly,
 * before anything starts: then nothing has to be started and stopped again, and the report is ours alone
 * (a server that failed to listen also has its WebSocket layer report the error its own way). Any other
 * failure (a HOST that is not ours, a privileged port) is left for the real listen to report.
 */
export async function firstPortInUse(host: string, wanted: readonly { component: string; port: number }[]): Promise<{ component: string; port: number } | undefined> {
  const inUse = await Promise.all(wanted.map(({ port }) => port !== 0 && isInUse(host, port)));
  return wanted.find((_, i) => inUse[i]);
}

function isInUse(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'EADDRINUSE'));
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve(false)));
  });
}

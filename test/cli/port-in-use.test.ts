import { createServer, type Server } from 'node:net';
import { describe, expect, it } from 'vitest';
import { claimedPorts, EMULATOR_PORT_OFFSET, explainPortInUse, PortInUseError, portInUseMessage } from '../../app/ports.ts';
import { providers } from '../../app/providers.ts';
import { emulators } from '../../emulators/index.ts';
import { accepts, runBin } from './processes.ts';

/** How many of the providers npm start runs an emulator for: the tests below follow the list, whatever it holds. */
const EMULATED = providers.filter((p) => emulators[p.name]).length;

describe('the ports PORT claims', () => {
  it('are PORT, PORT+1… for the subgraphs and PORT+11… for the emulators (PORT…PORT+14 with six subgraphs and four emulators)', () => {
    expect(claimedPorts(4000, 6, 4)).toEqual({ gateway: 4000, subgraphs: [4001, 4006], emulators: [4011, 4014], last: 4014 });
    expect(claimedPorts(4000, 1).last).toBe(4000 + EMULATOR_PORT_OFFSET);
  });

  it('are named, with who wanted the port taken, when one is in use', () => {
    const message = portInUseMessage({ component: 'the stripe emulator', port: 4012, host: '127.0.0.1', gatewayPort: 4000, providers: 4 });
    expect(message).toBe(
      [
        'Port 4012 (127.0.0.1) is already in use: the stripe emulator could not listen on it.',
        'PORT=4000 claims ports 4000…4014: the gateway 4000, subgraphs 4001…4004, emulators 4011…4014.',
        'Another instance (an earlier npm start still running, or one left behind) may hold it: stop it, or move the whole range, e.g. PORT=4100 npm start.',
      ].join('\n'),
    );
    // Never a suggestion past the last port.
    expect(portInUseMessage({ component: 'the gateway', port: 65_500, host: '0.0.0.0', gatewayPort: 65_500, providers: 4 })).toContain('PORT=4100 npm start');
  });

  it('are explained the same way when a port is taken between the check and the listen (raw or wrapped EADDRINUSE)', () => {
    const where = { component: 'the s3 subgraph', port: 4001, host: '127.0.0.1', gatewayPort: 4000, providers: 4 };
    const raw = Object.assign(new Error('listen EADDRINUSE: address already in use 127.0.0.1:4001'), { code: 'EADDRINUSE' });
    const wrapped = new Error('the s3 subgraph: cannot listen on 127.0.0.1:4001: the port is in use', { cause: raw });
    for (const error of [raw, wrapped]) {
      const explained = explainPortInUse(error, where);
      expect(explained).toBeInstanceOf(PortInUseError);
      expect(explained).toMatchObject({ port: 4001, component: 'the s3 subgraph', message: portInUseMessage(where), cause: error });
    }
    const other = Object.assign(new Error('listen EACCES'), { code: 'EACCES' });
    expect(explainPortInUse(other, where)).toBe(other);
  });
});

/** Listens on `port` of 127.0.0.1, or resolves undefined when something else has it already. */
function occupy(port: number): Promise<Server | undefined> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(undefined));
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

/**
 * A PORT whose whole range is free now (random; a few tries), so that only the port we take is in use.
 * Below Linux's ephemeral range (32768 and up), where the free ports (port 0) of tests running alongside
 * are picked, so none of them can land in the range between our check and npm start's listen.
 */
async function freeRange(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 12_000);
    const { last } = claimedPorts(base, providers.length, EMULATED);
    const ports = Array.from({ length: last - base + 1 }, (_, i) => base + i);
    if ((await Promise.all(ports.map(accepts))).every((taken) => !taken)) return base;
  }
  throw new Error('no free port range found');
}

describe('npm start with a port of its range in use', () => {
  it.each([
    ['the stripe emulator', (base: number) => base + EMULATOR_PORT_OFFSET + 1],
    ['the gateway', (base: number) => base],
    ['the github subgraph', (base: number) => base + 3],
  ])('stops at start-up naming the port, %s that wanted it, the range PORT claims, and what to do', async (component, portOf) => {
    let base = 0;
    let blocker: Server | undefined;
    // Another process may take the port between our check and our listen: then try another range.
    for (let attempt = 0; attempt < 5 && !blocker; attempt++) {
      base = await freeRange();
      blocker = await occupy(portOf(base));
    }
    if (!blocker) throw new Error('could not take a port for the test');
    try {
      const port = portOf(base);
      const start = runBin('start.ts', [], { PORT: String(base) });
      expect(await start.exited).toBe(1);
      const stderr = start.stderr();
      expect(stderr).toContain(`Port ${port} (127.0.0.1) is already in use: ${component} could not listen on it.`);
      // The message's wording is checked above; here, that npm start counts its own subgraphs and emulators.
      const { last: lastClaimed, subgraphs, emulators: emulatorPorts } = claimedPorts(base, providers.length, EMULATED);
      expect(stderr).toContain(`PORT=${base} claims ports ${base}…${lastClaimed}: the gateway ${base}, subgraphs ${subgraphs[0]}…${subgraphs[1]}, emulators ${emulatorPorts[0]}…${emulatorPorts[1]}.`);
      expect(stderr).toContain(`Another instance (an earlier npm start still running, or one left behind) may hold it: stop it, or move the whole range, e.g. PORT=${base + 100} npm start.`);
      // A message, not a crash: no stack trace on either stream.
      expect(`${start.stdout()}${stderr}`).not.toMatch(/\n\s+at .+:\d+:\d+/);
      // Nothing it started is left listening.
      const { last } = claimedPorts(base, providers.length, EMULATED);
      const others = Array.from({ length: last - base + 1 }, (_, i) => base + i).filter((p) => p !== port);
      expect((await Promise.all(others.map(accepts))).some(Boolean)).toBe(false);
    } finally {
      await new Promise((resolve) => blocker!.close(resolve));
    }
  });
});

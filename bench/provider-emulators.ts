/**
 * The provider emulators of `npm run bench:providers`, in a process of their own: real providers answer
 * from elsewhere, so their work must not run on the gateway's thread and be counted as its latency.
 * Starts the emulators named as arguments (every one without) on a free port with the fault profile of this process's environment
 * (EMULATOR_FAULTS: the emulated latency), prints `READY <json>` (per provider: its URL and the variables
 * that point its subgraph at it) and stops on SIGTERM.
 */
import { emulators, type RunningEmulator } from '../emulators/index.ts';

// The emulators named on the command line (all without any): one process each, as separate providers are.
const names = process.argv.slice(2);
const running: [string, RunningEmulator][] = await Promise.all(
  Object.entries(emulators).filter(([name]) => names.length === 0 || names.includes(name)).map(async ([name, starter]) => [name, await starter.start({ host: '127.0.0.1', port: 0 })] as [string, RunningEmulator]),
);
const ready = Object.fromEntries(running.map(([name, emulator]) => [name, { url: emulator.url, env: emulators[name]!.env(emulator.url) }]));
process.stdout.write(`READY ${JSON.stringify(ready)}\n`);
process.once('SIGTERM', () => void Promise.all(running.map(([, emulator]) => emulator.close())).then(() => process.exit(0)));

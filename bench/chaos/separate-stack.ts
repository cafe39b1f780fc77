/**
 * The deployment `npm start` cannot show: the gateway CLI and each subgraph (with its emulator) in a
 * process of its own, so that one subgraph can hang (SIGSTOP) or die (SIGKILL) alone.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { emulators } from '../../emulators/index.ts';
import { providers } from '../../app/providers.ts';
import { readyLog, startReadyProcess, stopProcess, type ReadyProcess } from '../ready-process.ts';

const ROOT = new URL('../../', import.meta.url);
const bin = (name: string) => fileURLToPath(new URL(`bin/${name}.ts`, ROOT));
const SUPERGRAPH = fileURLToPath(new URL('schema/supergraph.graphql', ROOT));

export interface SeparateSubgraph {
  readonly name: string;
  readonly url: string;
  /** Its provider's emulator (same process), for fault profiles and request counts; none for a feature subgraph (connections, webhooks). */
  readonly emulatorUrl: string | undefined;
  readonly child: ChildProcess;
}

export interface SeparateStack {
  readonly gatewayUrl: string;
  readonly subgraphs: ReadonlyMap<string, SeparateSubgraph>;
  /** Stops every process (a frozen one is resumed first, so it can exit cleanly). */
  close(): Promise<void>;
}

export interface StackOptions {
  /**
   * Given to the gateway and every subgraph: SUBGRAPH_SECRET, JWT_SECRET, REDIS_URL, timeouts, cache TTLs…
   * LOG_LEVEL must let `info` through: each process says it is ready in an info line.
   */
  env: NodeJS.ProcessEnv;
}

const node = (script: string, args: string[]) => ['--import', 'tsx', script, ...args];

export async function startSeparateStack({ env: givenEnv }: StackOptions): Promise<SeparateStack> {
  const started: ReadyProcess[] = [];
  // Subgraphs that keep tables, without DATABASE_URL, keep them in embedded databases under this folder.
  const dataDir = givenEnv['DATABASE_URL'] ? undefined : await mkdtemp(join(tmpdir(), 'chaos-data-'));
  const env = dataDir ? { ...givenEnv, DATABASE_DIR: dataDir } : givenEnv;
  const close = async () => {
    await Promise.all(
      started.splice(0).map(async ({ child }) => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGCONT');
        await stopProcess(child);
      }),
    );
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  };
  try {
    const subgraphs = new Map<string, SeparateSubgraph>();
    // Settled, not all: when one fails to start, the others are still stopped by close().
    const starts = await Promise.allSettled(
      providers.map(async ({ name }) => {
        const running = await startReadyProcess(process.execPath, node(bin('subgraph'), [name, '--port', '0']), env, undefined, readyLog('subgraph ready'));
        started.push(running);
        const ready = JSON.parse(running.ready) as { url: string; emulator?: string };
        if (!ready.emulator && emulators[name]) throw new Error(`the ${name} subgraph has real credentials in this environment; the chaos stack needs its emulator`);
        subgraphs.set(name, { name, url: ready.url, emulatorUrl: ready.emulator, child: running.child });
      }),
    );
    const failed = starts.find((start) => start.status === 'rejected');
    if (failed) throw failed.reason;
    const urls = Object.fromEntries([...subgraphs.values()].map(({ name, url }) => [`SUBGRAPH_URL_${name.toUpperCase()}`, url]));
    const gateway = await startReadyProcess(process.execPath, node(bin('gateway'), ['--supergraph', SUPERGRAPH, '--port', '0']), { ...env, ...urls }, undefined, readyLog('gateway ready'));
    started.push(gateway);
    return { gatewayUrl: (JSON.parse(gateway.ready) as { url: string }).url, subgraphs, close };
  } catch (error) {
    await close();
    throw error;
  }
}

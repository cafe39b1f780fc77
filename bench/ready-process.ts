import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const START_TIMEOUT_MS = 90_000;

export interface ReadyProcess {
  child: ChildProcess;
  /** What the process printed after `READY ` (a URL, or JSON). */
  ready: string;
  /** The last 4000 characters of its stderr. */
  stderr: () => string;
}

/** A stdout line's ready value, or undefined while it is not the ready line. */
export type ReadyLine = (line: string) => string | undefined;

/** `READY <value>`: what the benchmark's own processes print. */
export const readyPrefix: ReadyLine = (line) => (line.startsWith('READY ') ? line.slice('READY '.length).trim() : undefined);

/** A pino log line with this message (the CLIs' "ready" line): the whole line, as JSON. */
export const readyLog =
  (message: string): ReadyLine =>
  (line) => {
    if (!line.startsWith('{')) return undefined;
    try {
      return (JSON.parse(line) as { msg?: unknown }).msg === message ? line : undefined;
    } catch {
      return undefined;
    }
  };

/**
 * Starts a process (on one core with `taskset` when `core` is given) from the project's root and resolves
 * once it prints its ready line on stdout; rejects, and kills it, if it exits first or stays silent 90 s.
 */
export function startReadyProcess(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  core?: number,
  readyLine: ReadyLine = readyPrefix,
): Promise<ReadyProcess> {
  const [file, argv] = core === undefined ? [command, args] : ['taskset', ['-c', String(core), command, ...args]];
  const child = spawn(file, argv, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  return new Promise((resolveStart, reject) => {
    let stdout = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no READY within ${START_TIMEOUT_MS / 1000} s; stderr: ${stderr.trim().slice(-1500)}`));
    }, START_TIMEOUT_MS);
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const lines = stdout.split('\n');
      stdout = lines.pop()!;
      const ready = lines.map(readyLine).find((value) => value !== undefined);
      if (ready !== undefined) {
        clearTimeout(timer);
        child.stdout!.removeAllListeners('data');
        child.stdout!.resume();
        resolveStart({ child, ready, stderr: () => stderr });
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`exited (${signal ?? code}) before serving; stderr: ${stderr.trim().slice(-1500)}`));
    });
  });
}

/** SIGTERM, then SIGKILL after 10 s; resolves once the process has exited. */
export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

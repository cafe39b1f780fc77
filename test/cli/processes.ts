import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The environment a user runs `npm start` and the scripts in (PORT=0: every server on a free port). */
export function userEnv(env: Record<string, string> = {}): NodeJS.ProcessEnv {
  // NODE_ENV as a user has it: Apollo Server behaves differently under "test" (its own signal handlers).
  return { ...process.env, NODE_ENV: 'development', PORT: '0', LOG_LEVEL: 'warn', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', DATABASE_DIR: 'memory://', ...env };
}

export interface Running {
  readonly child: ChildProcess;
  /** Exit code (null when killed by a signal); registered at spawn, so an early exit is never missed. */
  readonly exited: Promise<number | null>;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first match of `pattern` in stdout; rejects if the process exits first or after `timeoutMs`. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
}

const started: ChildProcess[] = [];
const strays = new Set<number>();

/**
 * Every process a test started is killed after it: children in their own process group (`detached`),
 * so that killing the group also kills what they started (npm's shell, the node under it); and any
 * process id a test registered with `killAfterTest` (a grandchild a killed parent left behind).
 */
afterEach(() => {
  for (const child of started.splice(0)) {
    if (child.pid === undefined) continue;
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // the group is gone already
    }
  }
  for (const pid of strays) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone already
    }
  }
  strays.clear();
});

export function killAfterTest(pid: number): void {
  strays.add(pid);
}

/** Starts `command` in its own process group, collecting its output. */
export function run(command: string, args: readonly string[], options: SpawnOptions = {}): Running {
  const child = spawn(command, args, { cwd: ROOT, env: userEnv(), ...options, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  started.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    exited,
    stdout: () => stdout,
    stderr: () => stderr,
    waitForOutput(pattern, timeoutMs = 25_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => finish(new Error(`no ${pattern} in stdout after ${timeoutMs} ms:\n${stdout}\n${stderr}`)), timeoutMs);
        const look = () => {
          const match = pattern.exec(stdout);
          if (match) finish(undefined, match);
        };
        const finish = (error?: Error, match?: RegExpExecArray) => {
          clearTimeout(timer);
          child.stdout!.off('data', look);
          if (error) reject(error);
          else resolve(match!);
        };
        child.stdout!.on('data', look);
        void exited.then((code) => finish(new Error(`exited with ${code} before printing ${pattern}:\n${stdout}\n${stderr}`)));
        look();
      });
    },
  };
}

/** One of our bin/ scripts, as its npm script runs it (node with tsx). */
export function runBin(script: string, args: readonly string[] = [], env: Record<string, string> = {}): Running {
  return run(process.execPath, ['--import', 'tsx', `bin/${script}`, ...args], { env: userEnv(env) });
}

/** Whether something accepts TCP connections on 127.0.0.1:`port`. */
export function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Polls `condition` every 100 ms; rejects after `timeoutMs` naming `what`. */
export async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Whether process `pid` has exited (gone, or a zombie nobody reaped yet). Linux /proc. */
export function hasExited(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

/** Every port in the `npm start` banner (gateway, subgraphs, emulators). */
export function bannerPorts(stdout: string): number[] {
  return [...new Set([...stdout.matchAll(/(?:http|ws):\/\/127\.0\.0\.1:(\d+)/g)].map((match) => Number(match[1])))];
}

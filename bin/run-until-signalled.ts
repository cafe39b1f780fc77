import { readFileSync } from 'node:fs';
import type { Logger } from '../kit/logger.ts';

const FORCE_EXIT_AFTER_MS = 10_000;
/** How often a process that stops with its parent checks that the parent is still there. */
const PARENT_CHECK_MS = 500;

/** Read when this module loads (at process start), so a parent that dies during start-up is noticed too. */
const PARENT_AT_START = process.ppid;

export interface RunUntilSignalledOptions {
  /**
   * Also stop (cleanly, as on SIGTERM) when the process that started this one goes away: killed with
   * SIGKILL, or killed by a signal it did not pass on (npm's script shell), which leaves this process
   * re-parented and otherwise running with every port open. Under `npm run`, the shell npm starts the
   * script in is looked through: npm going away stops this process too.
   */
  exitWithParent?: boolean;
  /** How often to check, in milliseconds (default 500). */
  parentCheckMs?: number;
}

/**
 * On SIGINT or SIGTERM (or, with `exitWithParent`, once the parent is gone): close, then exit 0. A second
 * signal, or a close that hangs, exits at once.
 */
export function runUntilSignalled(close: () => Promise<void>, logger: Logger, { exitWithParent = false, parentCheckMs = PARENT_CHECK_MS }: RunUntilSignalledOptions = {}): void {
  let stopping = false;
  const stop = (why: { signal: NodeJS.Signals } | { parent: string }) => {
    if (stopping) process.exit(1);
    stopping = true;
    if ('signal' in why) logger.info(why, 'shutting down');
    else logger.warn(why, 'the parent process is gone; shutting down');
    setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, FORCE_EXIT_AFTER_MS).unref();
    close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop({ signal: 'SIGINT' }));
  process.on('SIGTERM', () => stop({ signal: 'SIGTERM' }));
  if (exitWithParent) watchParent(parentCheckMs, (parent) => stop({ parent }));
}

/**
 * Calls `gone` once the parent this process started with has gone away (this process was re-parented),
 * or, when that parent is the shell `npm run` started the script in, once npm has (the shell was).
 */
function watchParent(everyMs: number, gone: (which: string) => void): void {
  // Parent 0 (we are PID 1 in a container) or 1 (already adopted by init): nobody to outlive.
  if (PARENT_AT_START <= 1) return;
  const npmShell = process.env['npm_lifecycle_event'] !== undefined && isShell(PARENT_AT_START);
  const npmPid = npmShell ? parentOf(PARENT_AT_START) : undefined;
  const timer = setInterval(() => {
    if (process.ppid !== PARENT_AT_START) gone(`parent ${PARENT_AT_START}`);
    else if (npmPid !== undefined && parentOf(PARENT_AT_START) !== npmPid) gone(`npm ${npmPid}`);
    else return;
    clearInterval(timer);
  }, everyMs);
  timer.unref(); // the servers keep the process alive, never this check
}

/** The parent of process `pid` (Linux /proc), or undefined where that cannot be read. */
function parentOf(pid: number): number | undefined {
  try {
    // "pid (comm) state ppid …"; comm may contain spaces and parentheses, so read after the last ")".
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    return Number.isInteger(ppid) ? ppid : undefined;
  } catch {
    return undefined;
  }
}

/** Whether process `pid` is a POSIX shell (npm runs scripts with `sh -c`, which dash does not replace by the command). */
function isShell(pid: number): boolean {
  try {
    return ['sh', 'dash', 'bash', 'zsh', 'ash', 'busybox'].includes(readFileSync(`/proc/${pid}/comm`, 'utf8').trim());
  } catch {
    return false;
  }
}

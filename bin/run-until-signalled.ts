import type { Logger } from '../kit/logger.ts';

const FORCE_EXIT_AFTER_MS = 10_000;

/** On SIGINT or SIGTERM: close, then exit 0. A second signal, or a close that hangs, exits at once. */
export function runUntilSignalled(close: () => Promise<void>, logger: Logger): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    logger.info({ signal }, 'shutting down');
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
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

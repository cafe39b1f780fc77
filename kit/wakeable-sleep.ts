/** A wait that other code can end early: new work has arrived, or the loop that waits is stopping. */
export interface WakeableSleep {
  /** Resolves after `ms`, or at once when `wake()` is called meanwhile. */
  sleep(ms: number): Promise<void>;
  /** Ends the wait in progress, if any. */
  wake(): void;
}

export function wakeableSleep(): WakeableSleep {
  let wakeUp: (() => void) | undefined;
  return {
    sleep: (ms) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(done, ms);
        function done() {
          clearTimeout(timer);
          wakeUp = undefined;
          resolve();
        }
        wakeUp = done;
      }),
    wake: () => wakeUp?.(),
  };
}

/** Counts of the requests an emulator received, by S3 operation name. */
export interface RequestCounter {
  /** Requests of one operation, or of all operations when none is given. */
  count(operation?: string): number;
  byOperation(): Record<string, number>;
  reset(): void;
}

export interface RecordingRequestCounter extends RequestCounter {
  record(operation: string): void;
}

export function createRequestCounter(): RecordingRequestCounter {
  const counts = new Map<string, number>();
  return {
    record(operation) {
      counts.set(operation, (counts.get(operation) ?? 0) + 1);
    },
    count(operation) {
      if (operation !== undefined) return counts.get(operation) ?? 0;
      let total = 0;
      for (const value of counts.values()) total += value;
      return total;
    },
    byOperation() {
      return Object.fromEntries(counts);
    },
    reset() {
      counts.clear();
    },
  };
}

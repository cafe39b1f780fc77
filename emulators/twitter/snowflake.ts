/** X's snowflake epoch (2010-11-04T01:42:54.657Z): ids count milliseconds from here. */
export const TWITTER_EPOCH_MS = 1_288_834_974_657n;

/**
 * An X-style snowflake id: 41 bits of milliseconds since the epoch, 10 bits of machine, 12 of sequence.
 * Ids made this way sort like the times they encode, which is what "newest first" relies on.
 */
export function snowflakeId(timestampMs: number, machine = 0, sequence = 0): string {
  if (!Number.isInteger(timestampMs) || BigInt(timestampMs) < TWITTER_EPOCH_MS) {
    throw new RangeError(`snowflake time must be a whole millisecond after the X epoch, got ${timestampMs}`);
  }
  const time = BigInt(timestampMs) - TWITTER_EPOCH_MS;
  return ((time << 22n) | (BigInt(machine & 0x3ff) << 12n) | BigInt(sequence & 0xfff)).toString();
}

/** The millisecond a snowflake id was made at. */
export function snowflakeTimeMs(id: string): number {
  return Number((BigInt(id) >> 22n) + TWITTER_EPOCH_MS);
}

/** Numeric order of two decimal ids (longer strings are larger: ids have no leading zeros). */
export function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

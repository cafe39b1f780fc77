/** The emulator's notion of "now" in milliseconds; tests pin it to make timestamps predictable. */
export type Clock = () => number;

/** Stripe timestamps are whole Unix seconds. */
export function unixSeconds(clock: Clock): number {
  return Math.floor(clock() / 1000);
}

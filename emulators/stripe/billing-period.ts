/**
 * The end of a billing period that starts at `start` (Unix seconds): the same day-of-month and time in
 * the month `count` intervals later, or that month's last day when it is shorter (31 Jan → 28 Feb).
 */
export function addInterval(start: number, interval: 'day' | 'week' | 'month' | 'year', count: number): number {
  const date = new Date(start * 1000);
  switch (interval) {
    case 'day':
      return start + count * 86_400;
    case 'week':
      return start + count * 7 * 86_400;
    case 'month':
    case 'year': {
      const months = interval === 'year' ? count * 12 : count;
      const target = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + months, 1, date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds()));
      const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
      target.setUTCDate(Math.min(date.getUTCDate(), lastDay));
      return Math.floor(target.getTime() / 1000);
    }
  }
}

export function isBillingInterval(value: string): value is 'day' | 'week' | 'month' | 'year' {
  return value === 'day' || value === 'week' || value === 'month' || value === 'year';
}

/** Stripe amounts are integers in the currency's minor unit; this turns them into display strings. */

const formatters = new Map<string, Intl.NumberFormat>();

function formatterFor(currency: string): Intl.NumberFormat | undefined {
  const code = currency.toUpperCase();
  let formatter = formatters.get(code);
  if (!formatter) {
    try {
      formatter = new Intl.NumberFormat('en-US', { style: 'currency', currency: code });
    } catch {
      return undefined;
    }
    formatters.set(code, formatter);
  }
  return formatter;
}

export function formatMoney(amount: number, currency: string): string {
  const formatter = formatterFor(currency);
  if (!formatter) return `${amount} ${currency.toUpperCase()}`;
  const digits = formatter.resolvedOptions().maximumFractionDigits ?? 2;
  return formatter.format(amount / 10 ** digits);
}

export interface MoneyModel {
  amount: number;
  currency: string;
}

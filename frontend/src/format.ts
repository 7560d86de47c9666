// Italian formatting of dates, times and counts.

/** Italian date and time of an RFC 3339 timestamp. */
export function when(timestamp: string | undefined): string {
  if (!timestamp) return '—';
  return new Date(timestamp).toLocaleString('it-IT', { dateStyle: 'short', timeStyle: 'short' });
}

/** Italian date of an ISO date (yyyy-mm-dd). */
export function day(date: string): string {
  const [y, m, d] = date.split('-');
  return `${d}/${m}/${y}`;
}

export const number = new Intl.NumberFormat('it-IT');

/** "1 comune", "2.600 dipendenti". */
export function count(n: number, one: string, many: string): string {
  return n === 1 ? `1 ${one}` : `${number.format(n)} ${many}`;
}

const euros = new Intl.NumberFormat('it-IT', { style: 'currency', currency: 'EUR' });

/** Euro cents as euros, Italian style: "1.234,50 €". */
export function euro(cents: number): string {
  return euros.format(cents / 100);
}

/** A change in euro cents, signed: "+1.234,50 €", "−80,00 €". */
export function euroChange(cents: number): string {
  if (cents === 0) return euro(0);
  return `${cents > 0 ? '+' : '−'}${euro(Math.abs(cents))}`;
}

const oneDecimal = new Intl.NumberFormat('it-IT', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** A fraction as a percentage with one decimal: 0.004 → "0,4 %". */
export function percent(fraction: number): string {
  return `${oneDecimal.format(fraction * 100)}\u00a0%`;
}

/** A decimal quantity, Italian style, rounded to `digits`: "1.234,5". */
export function decimal(n: number, digits = 1): string {
  return new Intl.NumberFormat('it-IT', { maximumFractionDigits: digits }).format(n);
}

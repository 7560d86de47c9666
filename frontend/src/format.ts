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

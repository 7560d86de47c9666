// Italian formatting of dates, times and counts.

/** Italian date and time of an RFC 3339 timestamp. */
export function when(timestamp: string | undefined): string {
  if (!timestamp) return '—';
  // At Rome's time, as every session is, whatever the browser's clock says.
  return new Date(timestamp).toLocaleString('it-IT', { dateStyle: 'short', timeStyle: 'short', timeZone: 'Europe/Rome' });
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

/** What a participant pays: "Gratuito", or the fee in euro ("120,50 €"). */
export function fee(euros: number): string {
  return euros === 0 ? 'Gratuito' : euro(Math.round(euros * 100));
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

/** The Province's time zone: sessions are where it is, whatever the browser's clock says. */
const ROME = 'Europe/Rome';
const longDay = new Intl.DateTimeFormat('it-IT', { timeZone: ROME, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
const clock = new Intl.DateTimeFormat('it-IT', { timeZone: ROME, hour: '2-digit', minute: '2-digit' });

/** A session in Italian, at Rome's time: "lunedì 15 marzo 2027, 09:30–12:30". */
export function sessionSpan(startsAt: string, endsAt: string): string {
  const starts = new Date(startsAt);
  const ends = new Date(endsAt);
  const sameDay = longDay.format(starts) === longDay.format(ends);
  return sameDay
    ? `${longDay.format(starts)}, ${clock.format(starts)}–${clock.format(ends)}`
    : `${longDay.format(starts)}, ${clock.format(starts)} – ${longDay.format(ends)}, ${clock.format(ends)}`;
}

/** A date in Italian at Rome's time: "15 marzo 2027". */
export function longDate(timestamp: string): string {
  return new Intl.DateTimeFormat('it-IT', { timeZone: ROME, day: 'numeric', month: 'long', year: 'numeric' }).format(new Date(timestamp));
}

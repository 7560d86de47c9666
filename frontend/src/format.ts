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

/**
 * A length of time given in hours, as people read it: "3 h 52 min", "6 h", "45 min",
 * "0 h". Rounded to the minute, as the register keeps it (3.8666… hours is 3 h 52 min).
 */
export function duration(hours: number): string {
  const minutes = Math.round(hours * 60);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (m === 0) return `${number.format(h)} h`;
  return h === 0 ? `${m} min` : `${number.format(h)} h ${m} min`;
}

/**
 * What someone typed for a length of time, in hours: "2,5", "2.5", "2:30", "2 h 30 min",
 * "2h30", "45 min", "3 h" (what `duration` writes reads back). `undefined` for anything
 * else, so that nothing unreadable is taken for a number.
 */
export function parseDuration(text: string): number | undefined {
  const t = text.trim().toLowerCase().replace(/\s+/g, ' ');
  const decimal = /^(\d{1,4})(?:[.,](\d{1,4}))?( ?(?:h|ore|ora))?$/.exec(t);
  if (decimal) return Number(`${decimal[1]}.${decimal[2] ?? '0'}`);
  const clock = /^(\d{1,4}) ?(?::|h|ore|ora) ?(\d{1,2}) ?(?:min|minuti|m)?$/.exec(t);
  if (clock) return Number(clock[2]) < 60 ? Number(clock[1]) + Number(clock[2]) / 60 : undefined;
  const minutes = /^(\d{1,5}) ?(?:min|minuti|m)$/.exec(t);
  if (minutes) return Number(minutes[1]) / 60;
  return undefined;
}

/** A coordinate in degrees, Italian style: 43.8865 → "43,8865". */
export function degrees(n: number): string {
  return new Intl.NumberFormat('it-IT', { maximumFractionDigits: 6, useGrouping: false }).format(n);
}

/**
 * The parts of an address joined with commas, each piece said once: a venue called "Sede
 * della Provincia, Imperia" at "Viale Matteotti 147, Imperia" in Imperia is "Sede della
 * Provincia, Viale Matteotti 147, Imperia", the comune last, where an address ends.
 */
export function address(...parts: (string | undefined)[]): string {
  const pieces = parts.flatMap((p) => (p ?? '').split(',')).map((p) => p.trim()).filter(Boolean);
  const same = (a: string, b: string) => a.localeCompare(b, 'it', { sensitivity: 'base' }) === 0;
  return pieces.filter((p, i) => !pieces.slice(i + 1).some((later) => same(p, later))).join(', ');
}

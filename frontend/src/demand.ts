// The demand of a campaign as the office reads it: what the answers sent ask for, apart
// from what comuni are still filling in, and the distance bands in the order of distance.
import type { components } from './api/schema';

type Slice = components['schemas']['DemandSlice'];
type Answer = components['schemas']['ComuneAnswer'];
type Need = components['schemas']['NeedResponse'];

/** The comuni whose answer is sent, by ISTAT code. */
export function submittedComuni(answers: Answer[]): Set<string> {
  return new Set(answers.filter((a) => a.status === 'submitted').map((a) => a.comune_istat_code));
}

/**
 * People asked for in the answers sent, and in those still being filled in (the summary's
 * total counts both: its lines are every line entered).
 */
export function headcountBySubmission(byComune: Slice[], answers: Answer[]): { submitted: number; drafts: number } {
  const sent = submittedComuni(answers);
  let submitted = 0;
  let drafts = 0;
  for (const s of byComune) {
    if (sent.has(s.key)) submitted += s.headcount;
    else drafts += s.headcount;
  }
  return { submitted, drafts };
}

/**
 * People to train by theme in the answers sent only, largest first: the lines of comuni
 * still filling in their answer are left out. `labels` names the themes (the summary's).
 */
export function themesOfSubmitted(needs: Need[], answers: Answer[], labels: Map<string, string>): Slice[] {
  const sent = submittedComuni(answers);
  const slices = new Map<string, { headcount: number; comuni: Set<string>; lines: number }>();
  for (const n of needs) {
    if (!sent.has(n.comune_istat_code)) continue;
    const slice = slices.get(n.theme_code) ?? { headcount: 0, comuni: new Set(), lines: 0 };
    slice.headcount += n.headcount;
    slice.comuni.add(n.comune_istat_code);
    slice.lines += 1;
    slices.set(n.theme_code, slice);
  }
  return [...slices.entries()]
    .map(([key, s]) => ({ key, label: labels.get(key) ?? key, headcount: s.headcount, comuni: s.comuni.size, lines: s.lines }))
    .sort((a, b) => b.headcount - a.headcount || a.label.localeCompare(b.label, 'it'));
}

/** Where a distance band starts, in km ("10-25" → 10, "40+" → 40). */
const bandStart = (key: string) => Number.parseFloat(key) || 0;

/**
 * The distance bands nearest first, as labelled ("Per distanza"), named in Italian:
 * "0–10 km", "oltre 40 km". (The API orders every breakdown by headcount.)
 */
export function byDistance(slices: Slice[]): Slice[] {
  return [...slices]
    .sort((a, b) => bandStart(a.key) - bandStart(b.key))
    .map((s) => ({ ...s, label: s.key.endsWith('+') ? `oltre ${bandStart(s.key)} km` : `${s.key.replace('-', '–')} km` }));
}

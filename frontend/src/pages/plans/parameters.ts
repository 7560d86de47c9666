// A plan's parameters in Italian: their names, units and one-line explanations; the form's
// text values to and from the API's body; the API's pointers to the form's fields.
import type { FieldError, Problem } from '../../api/client';
import type { components } from '../../api/schema';
import { decimal, euro } from '../../format';

export type Parameters = components['schemas']['PlanParametersBody'];
export type ThemeParameters = components['schemas']['ThemeParametersBody'];

type Kind = 'date' | 'number' | 'integer' | 'euro_cents' | 'percent';

export interface Spec {
  label: string;
  /** Shown after the label: "(€/km)". */
  unit?: string;
  /** One line: what the parameter does. */
  hint: string;
  kind: Kind;
  /** May be left empty (no cap). */
  optional?: boolean;
}

/** The general parameters, in the form's order. */
export const GENERAL = {
  window_start: { label: 'Primo giorno', kind: 'date', hint: 'Da quando si possono tenere le edizioni.' },
  window_end: { label: 'Ultimo giorno', kind: 'date', hint: 'Fino a quando (al massimo due anni dopo il primo giorno).' },
  hours_per_day: { label: 'Ore di lezione al giorno', unit: 'ore', kind: 'number', hint: 'Un corso dura tante giornate quante servono per le sue ore.' },
  editions_per_week: { label: 'Edizioni a settimana', unit: 'al massimo', kind: 'integer', hint: 'Quante edizioni l’ufficio riesce a seguire in una settimana.' },
  eur_per_km: { label: 'Rimborso chilometrico', unit: '€/km', kind: 'number', hint: 'Quanto costa ogni chilometro percorso da un dipendente.' },
  eur_per_hour: { label: 'Valore di un’ora di lavoro', unit: '€/ora', kind: 'number', hint: 'Il tempo passato in viaggio è un costo per il comune.' },
  avg_speed_kmh: { label: 'Velocità media su strada', unit: 'km/h', kind: 'number', hint: 'Per stimare il tempo di viaggio.' },
  detour_factor: { label: 'Fattore di tortuosità', unit: '×', kind: 'number', hint: 'Km su strada = km in linea d’aria × questo (1,5 per le valli liguri).' },
  max_travel_km: { label: 'Distanza massima in presenza', unit: 'km', kind: 'number', hint: 'Nessuno è mandato in aula più lontano di così.' },
  budget_cap_cents: { label: 'Tetto di spesa', unit: '€', kind: 'euro_cents', optional: true, hint: 'Facoltativo: oltre questa cifra restano fuori i fabbisogni meno urgenti.' },
  mip_rel_gap: { label: 'Scarto accettato', unit: '%', kind: 'percent', hint: 'Il calcolo di un tema si ferma quando è a questa distanza dal miglior piano possibile.' },
  mip_max_nodes: { label: 'Tentativi di calcolo per tema', unit: 'al massimo', kind: 'integer', hint: 'Più tentativi, piano migliore ma calcolo più lungo.' },
  random_seed: { label: 'Variante di calcolo', kind: 'integer', hint: 'Un numero qualsiasi: stessi parametri e stesso numero danno lo stesso piano.' },
} satisfies Record<string, Spec>;
export type GeneralKey = keyof typeof GENERAL;

export const PRIORITY_WEIGHTS = {
  alta: { label: 'Peso priorità alta', kind: 'integer', hint: 'Quanto conta una persona con urgenza alta, se non si possono servire tutti.' },
  media: { label: 'Peso priorità media', kind: 'integer', hint: 'Non più del peso della priorità alta.' },
  bassa: { label: 'Peso priorità bassa', kind: 'integer', hint: 'Non più del peso della priorità media.' },
} satisfies Record<string, Spec>;
type WeightKey = keyof typeof PRIORITY_WEIGHTS;

/** The per-theme parameters, the table's columns in order (booleans are checkboxes). */
export const THEME = {
  hours: { label: 'Ore', kind: 'number', hint: 'Durata del corso.' },
  in_person_allowed: { label: 'In presenza ammessa', kind: 'integer', hint: '' },
  min_participants: { label: 'Minimo in presenza', kind: 'integer', hint: 'Soglia di attivazione.' },
  max_participants: { label: 'Massimo in presenza', kind: 'integer', hint: '' },
  webinar_allowed: { label: 'Webinar ammesso', kind: 'integer', hint: 'Ignorato se la legge vuole la presenza.' },
  webinar_min_participants: { label: 'Minimo webinar', kind: 'integer', hint: '' },
  webinar_max_participants: { label: 'Massimo webinar', kind: 'integer', hint: '' },
  webinar_beyond_km: { label: 'Webinar oltre', unit: 'km', kind: 'number', hint: 'Chi abita più lontano segue in webinar.' },
  edition_cost_eur: { label: 'Costo edizione', unit: '€', kind: 'number', hint: '' },
  participant_cost_eur: { label: 'Costo partecipante', unit: '€', kind: 'number', hint: '' },
  webinar_cost_eur: { label: 'Costo webinar', unit: '€', kind: 'number', hint: '' },
  webinar_seat_cost_eur: { label: 'Costo posto webinar', unit: '€', kind: 'number', hint: '' },
} satisfies Record<Exclude<keyof ThemeParameters, 'theme_code'>, Spec>;
export type ThemeKey = keyof typeof THEME;
export const THEME_FLAGS = ['in_person_allowed', 'webinar_allowed'] as const;
type ThemeFlag = (typeof THEME_FLAGS)[number];
type ThemeNumber = Exclude<ThemeKey, ThemeFlag>;

export function isFlag(key: ThemeKey): key is ThemeFlag {
  return (THEME_FLAGS as readonly string[]).includes(key);
}

export function labelWithUnit(spec: Spec): string {
  return spec.unit ? `${spec.label} (${spec.unit})` : spec.label;
}

/** The form: text as typed (decimals with a comma), the checkboxes as booleans. */
export interface ParameterForm {
  general: Record<GeneralKey | `priority_weights/${WeightKey}`, string>;
  closedPeriods: { start: string; end: string }[];
  themes: Record<string, Record<ThemeNumber, string> & Record<ThemeFlag, boolean>>;
  /** The theme codes, in the defaults' order. */
  themeOrder: string[];
}

/** A number as an Italian reads and types it: 0.35 → "0,35". */
function typed(n: number): string {
  return String(Number(n.toPrecision(12))).replace('.', ',');
}

function toText(kind: Kind, value: unknown): string {
  if (value === null || value === undefined) return '';
  if (kind === 'date') return String(value);
  if (kind === 'euro_cents') return typed(Number(value) / 100);
  if (kind === 'percent') return typed(Number(value) * 100);
  return typed(Number(value));
}

export function toForm(p: Parameters): ParameterForm {
  const general = {} as ParameterForm['general'];
  for (const [key, spec] of Object.entries(GENERAL) as [GeneralKey, Spec][]) general[key] = toText(spec.kind, p[key]);
  for (const key of Object.keys(PRIORITY_WEIGHTS) as WeightKey[]) general[`priority_weights/${key}`] = String(p.priority_weights[key]);
  const themes: ParameterForm['themes'] = {};
  for (const t of p.themes) {
    const row = {} as ParameterForm['themes'][string];
    for (const [key, spec] of Object.entries(THEME) as [ThemeKey, Spec][]) {
      if (isFlag(key)) row[key] = t[key];
      else row[key] = toText(spec.kind, t[key]);
    }
    themes[t.theme_code] = row;
  }
  return { general, closedPeriods: p.closed_periods.map((c) => ({ ...c })), themes, themeOrder: p.themes.map((t) => t.theme_code) };
}

/** "0,35" or "0.35" → 0.35; undefined when it is not a number. */
export function parseNumber(text: string): number | undefined {
  const t = text.trim().replace(/\s/g, '');
  if (t === '') return undefined;
  const normal = t.includes(',') ? t.replace(/\./g, '').replace(',', '.') : t;
  const n = Number(normal);
  return Number.isFinite(n) ? n : undefined;
}

function fromText(kind: Kind, text: string, optional = false): { value?: number | string | null; error?: string } {
  if (kind === 'date') return /^\d{4}-\d{2}-\d{2}$/.test(text) ? { value: text } : { error: 'inserire una data' };
  if (optional && text.trim() === '') return { value: null };
  const n = parseNumber(text);
  if (n === undefined) return { error: 'inserire un numero' };
  if (kind === 'integer') return Number.isInteger(n) ? { value: n } : { error: 'inserire un numero intero' };
  if (kind === 'euro_cents') return { value: Math.round(n * 100) };
  if (kind === 'percent') return { value: Number((n / 100).toPrecision(12)) };
  return { value: n };
}

/**
 * The API's body from the form, or the fields that are not even numbers (by pointer, as
 * the API would name them: `#/parameters/themes/privacy/hours`).
 */
export function fromForm(form: ParameterForm, base: Parameters): { parameters?: Parameters; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const out: Record<string, unknown> = { ...base };
  for (const [key, spec] of Object.entries(GENERAL) as [GeneralKey, Spec][]) {
    const { value, error } = fromText(spec.kind, form.general[key], spec.optional);
    if (error) errors.push({ pointer: `#/parameters/${key}`, detail: error });
    else out[key] = value;
  }
  const weights = { ...base.priority_weights };
  for (const key of Object.keys(PRIORITY_WEIGHTS) as WeightKey[]) {
    const { value, error } = fromText('integer', form.general[`priority_weights/${key}`]);
    if (error) errors.push({ pointer: `#/parameters/priority_weights/${key}`, detail: error });
    else weights[key] = value as number;
  }
  out.priority_weights = weights;
  out.closed_periods = form.closedPeriods.map((c) => ({ ...c }));
  form.closedPeriods.forEach((c, i) => {
    for (const end of ['start', 'end'] as const) {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(c[end])) errors.push({ pointer: `#/parameters/closed_periods/${i}/${end}`, detail: 'inserire una data' });
    }
  });
  out.themes = base.themes.map((t) => {
    const row = form.themes[t.theme_code];
    const theme: Record<string, unknown> = { ...t };
    for (const [key, spec] of Object.entries(THEME) as [ThemeKey, Spec][]) {
      if (isFlag(key)) theme[key] = row[key];
      else {
        const { value, error } = fromText(spec.kind, row[key]);
        if (error) errors.push({ pointer: `#/parameters/themes/${t.theme_code}/${key}`, detail: error });
        else theme[key] = value;
      }
    }
    return theme;
  });
  return errors.length > 0 ? { errors } : { parameters: out as Parameters, errors };
}

/** The message the API (or the form) gives for one field of the parameters. */
export function parameterError(problem: Problem | undefined, path: string): string | undefined {
  const found = problem?.errors?.filter((e) => e.pointer === `#/parameters/${path}`) ?? [];
  return found.length > 0 ? found.map((e) => e.detail).join('; ') : undefined;
}

/** Italian names for the pointers of the list of errors. */
export function parameterNames(themeName: (code: string) => string): (pointer: string) => string | undefined {
  return (pointer) => {
    const path = pointer.replace(/^#\/(parameters\/)?/, '');
    return parameterName(path, themeName);
  };
}

/** "Privacy: ore", "Rimborso chilometrico" for a parameter's path (`themes/privacy/hours`). */
export function parameterName(path: string, themeName: (code: string) => string): string {
  const parts = path.split('/');
  if (parts[0] === 'themes' && parts.length >= 3) {
    const spec = (THEME as Record<string, Spec>)[parts[2]];
    return `${themeName(parts[1])}: ${spec ? spec.label.toLowerCase() : parts[2]}`;
  }
  if (parts[0] === 'themes') return `Temi: ${themeName(parts[1] ?? '')}`;
  if (parts[0] === 'priority_weights') {
    const spec = (PRIORITY_WEIGHTS as Record<string, Spec>)[parts[1] ?? ''];
    return spec ? spec.label : 'Pesi delle priorità';
  }
  if (parts[0] === 'closed_periods') {
    if (parts.length === 1) return 'Periodi di chiusura';
    return `Periodo di chiusura n. ${Number(parts[1]) + 1}${parts[2] ? (parts[2] === 'start' ? ', inizio' : ', fine') : ''}`;
  }
  const spec = (GENERAL as Record<string, Spec>)[parts[0]];
  return spec ? spec.label : path;
}

/** A parameter's value, in Italian, from its path; undefined when there is none. */
export function parameterValue(p: Parameters, path: string): string | undefined {
  const parts = path.split('/');
  const show = (kind: Kind, value: unknown, unit?: string): string => {
    if (value === null || value === undefined) return 'nessuno';
    if (typeof value === 'boolean') return value ? 'sì' : 'no';
    if (kind === 'date') return String(value).split('-').reverse().join('/');
    if (kind === 'euro_cents') return euro(Number(value));
    if (kind === 'percent') return `${decimal(Number(value) * 100, 3)} %`;
    return `${decimal(Number(value), 3)}${unit && unit !== 'al massimo' && unit !== '×' ? ` ${unit}` : ''}`;
  };
  if (parts[0] === 'themes') {
    const t = p.themes.find((x) => x.theme_code === parts[1]);
    if (!t) return 'assente';
    if (parts.length < 3) return 'presente';
    const spec = (THEME as Record<string, Spec>)[parts[2]];
    return spec ? show(spec.kind, t[parts[2] as ThemeKey], spec.unit) : undefined;
  }
  if (parts[0] === 'priority_weights') {
    const w = p.priority_weights;
    return parts[1] ? show('integer', w[parts[1] as WeightKey]) : `${w.alta} / ${w.media} / ${w.bassa}`;
  }
  if (parts[0] === 'closed_periods') {
    if (parts.length === 1) return p.closed_periods.map((c) => `${show('date', c.start)}–${show('date', c.end)}`).join(', ') || 'nessuno';
    return undefined;
  }
  const spec = (GENERAL as Record<string, Spec>)[parts[0]];
  return spec ? show(spec.kind, p[parts[0] as GeneralKey], spec.unit) : undefined;
}

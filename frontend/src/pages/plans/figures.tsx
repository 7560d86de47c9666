// A plan's figures in Italian: the cards at a glance and the per-theme table.
import { Badge } from 'design-react-kit';
import type { ReactNode } from 'react';
import type { components } from '../../api/schema';
import { DataTable } from '../../components/DataTable';
import { decimal, euro, number, percent } from '../../format';
import { BOUND_STATUS } from '../../labels';

type Schemas = components['schemas'];
/**
 * A whole plan. (The schema's PlanResponse is PlanSummaryResponse — whose `editions` is a
 * count — `allOf` an object whose `editions` is the list: the intersection makes `editions`
 * `number & list`. The JSON holds the list: this type says so.)
 */
export type Plan = Omit<Schemas['PlanSummaryResponse'], 'editions'> & Omit<Schemas['PlanResponse'], keyof Schemas['PlanSummaryResponse']> & {
  editions: Schemas['PlannedEditionResponse'][];
};

/** A plan's JSON answer, typed as what it holds (the CSV and XLSX representations aside). */
export function asPlan<A extends { data?: unknown }>(answer: A): Omit<A, 'data'> & { data?: Plan } {
  const data = answer.data;
  return { ...answer, data: data === undefined || typeof data === 'string' ? undefined : (data as Plan) };
}
export type Figures = Schemas['FiguresBody'];
type Coverage = Schemas['CoverageBody'];

/**
 * The gap in words. Short: "al massimo 0,4 %". Long: "il piano costa al più lo 0,4 % più del
 * miglior piano possibile". After edits that serve fewer people the optimiser's bound no
 * longer applies: the gap is then negative, or (when nothing is left to pay) the cost is
 * below the bound with a gap of 0 — not comparable either way.
 */
export function gapText(gap: number, short = false, cost?: { total: number; bound: number }): string {
  if (gap < 0 || (cost && cost.total < cost.bound)) {
    return short ? 'non confrontabile' : 'dopo le modifiche il piano serve meno persone di quelle per cui il limite è stato dimostrato';
  }
  return short ? `al massimo ${percent(gap)}` : `il piano costa al più lo ${percent(gap)} più del miglior piano possibile`;
}

function comparable(gap: number, total: number, bound: number): boolean {
  return gap >= 0 && total >= bound;
}

export function coverageText(c: Pick<Coverage, 'people_served' | 'people_requested'>): string {
  const share = c.people_requested > 0 ? c.people_served / c.people_requested : 1;
  return `${number.format(c.people_served)} su ${number.format(c.people_requested)} (${percent(share)})`;
}

function Card({ title, value, children }: { title: string; value: ReactNode; children?: ReactNode }) {
  return (
    <div className="col-sm-6 col-lg-4 mb-3">
      <div className="card card-bg h-100 plan-card">
        <div className="card-body">
          <h3 className="h6 mb-1">{title}</h3>
          <p className="h4 mb-1">{value}</p>
          {children && <p className="small mb-0">{children}</p>}
        </div>
      </div>
    </div>
  );
}

/** The headline figures of a plan, as cards. */
export function AtAGlance({ figures }: { figures: Figures }) {
  const c = figures.coverage;
  return (
    <section aria-labelledby="in-sintesi" className="mb-4">
      <h2 id="in-sintesi" className="h4">
        In sintesi
      </h2>
      <div className="row">
        <Card title="Persone servite" value={coverageText(c)}>
          {number.format(c.lines_served)} righe di fabbisogno servite per intero, {number.format(c.lines_partial)} in parte, su {number.format(c.lines_total)}.
        </Card>
        <Card title="Costo totale" value={euro(figures.cost.total_cents)}>
          Edizioni {euro(figures.cost.editions_cents + figures.cost.participants_cents)}, webinar {euro(figures.cost.webinars_cents)}, viaggi{' '}
          {euro(figures.cost.travel_cents)}, tempo del personale {euro(figures.cost.time_value_cents)}.
        </Card>
        <Card title="Risparmio per i comuni" value={euro(figures.saving_cents)}>
          Da soli, ciascuno a casa propria, i comuni spenderebbero {euro(figures.standalone_cents)}.
        </Card>
        <Card title="Limite inferiore dimostrato" value={euro(figures.lower_bound_cents)}>
          {comparable(figures.gap, figures.cost.total_cents, figures.lower_bound_cents)
            ? `Nessun piano che serva le stesse persone può costare meno: ${gapText(figures.gap)}.`
            : `È il limite del piano calcolato: ${gapText(figures.gap, false, { total: figures.cost.total_cents, bound: figures.lower_bound_cents })}.`}
        </Card>
        <Card title="Edizioni" value={`${number.format(figures.editions_in_person)} in presenza, ${number.format(figures.editions_webinar)} webinar`}>
          {number.format(figures.people_with_preferred_modality)} persone nella modalità che il loro comune preferiva.
        </Card>
        <Card title="Spostamenti" value={`${decimal(figures.person_km, 0)} km-persona`}>
          {decimal(figures.travel_hours, 1)} ore di viaggio in tutto, andata e ritorno.
        </Card>
      </div>
    </section>
  );
}

/** Coverage, editions, cost and how well each theme was optimised. */
export function PerTheme({ figures, themeName }: { figures: Figures; themeName: (code: string) => string }) {
  return (
    <section aria-labelledby="per-tema" className="mb-4">
      <h2 id="per-tema" className="h4">
        Per tema
      </h2>
      <DataTable
        caption="Dati per tema"
        captionHidden
        items={figures.per_theme}
        rowKey={(t) => t.theme_code}
        size="sm"
        columns={[
          { header: 'Tema', rowHeader: true, cell: (t) => themeName(t.theme_code) },
          { header: 'Persone servite', numeric: true, cell: (t) => coverageText(t.coverage) },
          { header: 'Edizioni', cell: (t) => `${t.editions_in_person} in presenza, ${t.editions_webinar} webinar` },
          { header: 'Costo', numeric: true, cell: (t) => euro(t.cost.total_cents) },
          { header: 'Da soli', numeric: true, cell: (t) => euro(t.standalone_cents) },
          { header: 'Limite inferiore', numeric: true, cell: (t) => euro(t.lower_bound_cents) },
          { header: 'Calcolo', cell: (t) => <Badge color={BOUND_STATUS[t.bound_status].color}>{BOUND_STATUS[t.bound_status].label}</Badge> },
          { header: 'Scarto massimo', numeric: true, cell: (t) => gapText(t.gap, true, { total: t.cost.total_cents, bound: t.lower_bound_cents }) },
        ]}
      />
    </section>
  );
}

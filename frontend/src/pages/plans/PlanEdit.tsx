import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Button } from 'design-react-kit';
import type { Problem } from '../../api/client';
import type { components } from '../../api/schema';
import { ErrorAlert } from '../../components/ErrorAlert';
import { SelectField, type Option } from '../../components/SelectField';
import { Field } from '../../Field';
import { optionsOf, PLANNED_MODALITY, type PlannedModality } from '../../labels';
import { fieldLabel } from '../../fields';
import type { Plan } from './figures';
import { editionLabel } from './PlanEditions';

export type Edit = components['schemas']['PlanEditBody'];

/** Italian names of the fields only an edit's problem points at (the rest: fields.ts). */
const FIELD_NAMES: Record<string, string> = {
  start_date: 'data di inizio',
  dates: 'date',
  edition_key: 'edizione',
  from_edition: 'edizione di partenza',
  to_edition: 'edizione di arrivo',
  comune_code: 'comune',
  size: 'persone',
  assignments: 'comuni',
};

/**
 * An edit's problem with each broken rule placed in words: "Privacy – Sala – 09/03/2027,
 * date: data in un fine settimana" instead of `#/editions/privacy~11~11/dates/0`.
 */
export function describeEditProblem(problem: Problem, plan: Plan): Problem {
  const place = (pointer?: string): string | undefined => {
    if (!pointer) return undefined;
    const parts = pointer.replace(/^#\//, '').split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
    const fields = (rest: string[]) =>
      rest
        .filter((p) => !/^\d+$/.test(p))
        .map((p) => fieldLabel(p, FIELD_NAMES).toLowerCase())
        .join(', ');
    if (parts[0] === 'editions' && parts[1]) {
      const e = plan.editions.find((x) => x.key === parts[1]);
      const rest = fields(parts.slice(2));
      return `Edizione «${e ? editionLabel(e) : parts[1]}»${rest ? `, ${rest}` : ''}`;
    }
    if (parts[0] === 'edits') return fields(parts.slice(2)) || 'modifica';
    return fields(parts);
  };
  return {
    ...problem,
    errors: problem.errors?.map((e) => {
      const where = place(e.pointer);
      return { detail: where ? `${where.charAt(0).toUpperCase()}${where.slice(1)}: ${e.detail}` : e.detail };
    }),
  };
}

/** The message for a field of the edit being made (`#/edits/0/start_date`). */
function editFieldError(problem: Problem | undefined, field: string): string | undefined {
  return problem?.errors?.find((e) => e.pointer?.startsWith('#/edits/') && e.pointer.endsWith(`/${field}`))?.detail;
}

interface PlanEditProps {
  plan: Plan;
  /** The edition chosen in the table ("Modifica"). */
  chosen?: string;
  setChosen: (key: string) => void;
  venues: Option[];
  themes: Option[];
  /** Sends the edits: undefined when done, or the problem (raw, with its pointers). */
  apply: (edits: Edit[]) => Promise<Problem | undefined>;
}

/** The officer's changes to a draft plan, each re-costed at once by the API. */
export function PlanEdit({ plan, chosen, setChosen, venues, themes, apply }: PlanEditProps) {
  const [problem, setProblem] = useState<Problem>();
  // The kind of edit the problem answers: its fields are marked in that form only.
  const [failedKind, setFailedKind] = useState<Edit['kind']>();
  const problemOf = (kind: Edit['kind']) => (kind === failedKind ? problem : undefined);
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const edition = plan.editions.find((e) => e.key === chosen) ?? plan.editions[0];
  const [startDate, setStartDate] = useState('');
  const [venue, setVenue] = useState('');
  useEffect(() => {
    setStartDate(edition?.dates[0] ?? '');
    setVenue(edition?.venue_id !== undefined ? String(edition.venue_id) : '');
  }, [edition]);

  async function send(edits: Edit[]) {
    setBusy(true);
    const failed = await apply(edits);
    setBusy(false);
    setProblem(failed);
    setFailedKind(edits[0]?.kind);
  }

  const editionOptions = plan.editions.map((e) => ({ value: e.key, label: editionLabel(e) }));
  const submit = (edits: () => Edit[]) => (event: FormEvent) => {
    event.preventDefault();
    void send(edits());
  };

  return (
    <section aria-labelledby="modifica" className="mb-4 plan-edit">
      <h2 id="modifica" className="h4" ref={heading} tabIndex={-1}>
        Modifica il piano
      </h2>
      <p>Ogni modifica è verificata e il piano è ricalcolato subito: il riepilogo in alto mostra i nuovi costi.</p>
      <ErrorAlert problem={problem && describeEditProblem(problem, plan)} title={problem?.status === 422 ? 'La modifica viola le regole del piano' : undefined} />
      {edition && (
        <div className="card card-bg mb-4">
          <div className="card-body">
            <h3 className="h5">Un’edizione</h3>
            <div className="row mt-4">
              <SelectField id="modifica-edizione" className="col-lg-8" label="Edizione da modificare" value={edition.key} onChange={setChosen} options={editionOptions} />
            </div>
            <form className="row align-items-end mt-5" onSubmit={submit(() => [{ kind: 'change_start_date', edition_key: edition.key, start_date: startDate }])} noValidate>
              <div className="col-sm-7 col-lg-5">
                <Field id="modifica-data" label="Nuova data di inizio" type="date" value={startDate} onChange={setStartDate} error={editFieldError(problemOf('change_start_date'), 'start_date')} />
              </div>
              <div className="col-sm-5 col-lg-4 mb-4">
                <Button color="primary" type="submit" disabled={busy}>
                  Cambia la data
                </Button>
              </div>
            </form>
            {edition.modality === 'in_person' && (
              <form className="row align-items-end" onSubmit={submit(() => [{ kind: 'change_venue', edition_key: edition.key, venue_id: Number(venue) }])} noValidate>
                <SelectField id="modifica-sede" className="col-sm-7 col-lg-5 mb-4" label="Nuova sede" value={venue} onChange={setVenue} options={venues} error={editFieldError(problemOf('change_venue'), 'venue_id')} />
                <div className="col-sm-5 col-lg-4 mb-4">
                  <Button color="primary" type="submit" disabled={busy}>
                    Cambia la sede
                  </Button>
                </div>
              </form>
            )}
            <Button
              color="danger"
              outline
              disabled={busy}
              onClick={() => {
                if (window.confirm(`Eliminare l’edizione «${editionLabel(edition)}»? Le sue ${edition.size} persone resteranno non servite.`)) {
                  void send([{ kind: 'drop_edition', edition_key: edition.key }]);
                }
              }}
            >
              Elimina l’edizione
            </Button>
          </div>
        </div>
      )}
      {plan.editions.length >= 2 ? (
        <MovePeople plan={plan} busy={busy} problem={problemOf('move_headcount')} send={send} />
      ) : (
        <p>Per spostare persone servono almeno due edizioni dello stesso tema: aggiungerne una qui sotto.</p>
      )}
      <AddEdition plan={plan} busy={busy} problem={problemOf('add_edition')} send={send} venues={venues} themes={themes} />
    </section>
  );
}

interface PartProps {
  plan: Plan;
  busy: boolean;
  problem?: Problem;
  send: (edits: Edit[]) => Promise<void>;
}

/** "Sposta persone": some people of a comune from one edition to another of the same theme. */
function MovePeople({ plan, busy, problem, send }: PartProps) {
  const comuni = new Map<string, string>();
  for (const e of plan.editions) for (const a of e.assignments) comuni.set(a.comune_istat_code, a.comune_name);
  const [comune, setComune] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [headcount, setHeadcount] = useState('1');
  const fromOptions = plan.editions
    .filter((e) => e.assignments.some((a) => a.comune_istat_code === comune))
    .map((e) => ({ value: e.key, label: `${editionLabel(e)} (${e.assignments.find((a) => a.comune_istat_code === comune)?.headcount} persone)` }));
  const source = plan.editions.find((e) => e.key === from);
  const toOptions = plan.editions.filter((e) => e.key !== from && (!source || e.theme_code === source.theme_code)).map((e) => ({ value: e.key, label: editionLabel(e) }));
  // A choice no longer offered (another comune, another theme) gives way to the first one.
  useEffect(() => {
    if (from && !fromOptions.some((o) => o.value === from)) setFrom('');
    if (to && !toOptions.some((o) => o.value === to)) setTo('');
  });

  return (
    <form
      className="card card-bg mb-4"
      onSubmit={(event) => {
        event.preventDefault();
        void send([{ kind: 'move_headcount', comune_code: comune, from_edition: from, to_edition: to, headcount: Number(headcount) }]);
      }}
      noValidate
      aria-labelledby="sposta"
    >
      <div className="card-body">
        <h3 id="sposta" className="h5">
          Sposta persone
        </h3>
        <div className="row mt-4">
          <SelectField
            id="sposta-comune"
            className="col-md-6 mb-4"
            label="Comune"
            value={comune}
            onChange={setComune}
            options={[...comuni].map(([value, label]) => ({ value, label })).sort((a, b) => a.label.localeCompare(b.label, 'it'))}
            error={editFieldError(problem, 'comune_code')}
          />
          <div className="col-md-6 mt-3 mt-md-0">
            <Field id="sposta-persone" label="Quante persone" type="number" value={headcount} onChange={setHeadcount} error={editFieldError(problem, 'headcount')} />
          </div>
          <SelectField id="sposta-da" className="col-md-6 mb-4" label="Dall’edizione" value={from} onChange={setFrom} options={fromOptions} error={editFieldError(problem, 'from_edition')} />
          <SelectField id="sposta-a" className="col-md-6 mb-4" label="All’edizione" value={to} onChange={setTo} options={toOptions} error={editFieldError(problem, 'to_edition')} />
        </div>
        <Button color="primary" type="submit" disabled={busy || !comune || !from || !to}>
          Sposta le persone
        </Button>
      </div>
    </form>
  );
}

/** "Aggiungi edizione": an empty edition, to be filled by moving people into it. */
function AddEdition({ plan, busy, problem, send, venues, themes }: PartProps & { venues: Option[]; themes: Option[] }) {
  // The campaign's themes: those with people in the plan, served or not.
  const asked = new Set([...plan.editions.map((e) => e.theme_code), ...plan.unserved.map((u) => u.theme_code)]);
  const planThemes = themes.filter((t) => asked.has(String(t.value)));
  const [theme, setTheme] = useState('');
  const [modality, setModality] = useState<PlannedModality>('in_person');
  const [venue, setVenue] = useState('');
  const [startDate, setStartDate] = useState('');
  return (
    <form
      className="card card-bg mb-4"
      onSubmit={(event) => {
        event.preventDefault();
        void send([
          {
            kind: 'add_edition',
            theme_code: theme,
            modality,
            start_date: startDate,
            ...(modality === 'in_person' && venue ? { venue_id: Number(venue) } : {}),
          },
        ]);
      }}
      noValidate
      aria-labelledby="aggiungi"
    >
      <div className="card-body">
        <h3 id="aggiungi" className="h5">
          Aggiungi un’edizione
        </h3>
        <p className="small">L’edizione nasce vuota: poi vi si spostano le persone.</p>
        <div className="row mt-4">
          <SelectField id="aggiungi-tema" className="col-md-6 mb-4" label="Tema" value={theme} onChange={setTheme} options={planThemes} error={editFieldError(problem, 'theme_code')} />
          <SelectField
            id="aggiungi-modalita"
            className="col-md-6 mb-4"
            label="Modalità"
            value={modality}
            onChange={(v) => setModality(v as PlannedModality)}
            options={optionsOf(PLANNED_MODALITY)}
            error={editFieldError(problem, 'modality')}
          />
          {modality === 'in_person' && (
            <SelectField id="aggiungi-sede" className="col-md-6 mb-4" label="Sede" value={venue} onChange={setVenue} options={venues} error={editFieldError(problem, 'venue_id')} />
          )}
          <div className="col-md-6 mt-3">
            <Field id="aggiungi-data" label="Data di inizio" type="date" value={startDate} onChange={setStartDate} error={editFieldError(problem, 'start_date')} />
          </div>
        </div>
        <Button color="primary" type="submit" disabled={busy || !theme || !startDate}>
          Aggiungi l’edizione
        </Button>
      </div>
    </form>
  );
}

import type { components } from '../../api/schema';
import { DataTable } from '../../components/DataTable';
import { day, euro, number } from '../../format';
import { PLANNED_MODALITY, UNSERVED_REASON } from '../../labels';
import type { Plan } from './figures';

type Edition = components['schemas']['PlannedEditionResponse'];
type Assignment = components['schemas']['PlannedAssignment'];
type Person = components['schemas']['PlannedPerson'];

/** "12/03/2027" or "12/03/2027, 13/03/2027". */
export function datesText(dates: string[]): string {
  return dates.map(day).join(', ');
}

/** The short name of an edition, for selects and messages: "Privacy – Sala della Provincia – 09/03/2027". */
export function editionLabel(e: Edition): string {
  const where = e.modality === 'webinar' ? 'webinar' : (e.venue_name ?? 'sede da definire');
  return `${e.theme_name} – ${where} – ${e.dates[0] ? day(e.dates[0]) : 'senza data'}`;
}

/** The named people of an assignment. */
export function peopleOf(a: Pick<Assignment, 'lines'>): Person[] {
  return a.lines.flatMap((l) => l.employees);
}

/** Names, and how many are not named yet. */
export function PeopleList({ people, headcount }: { people: Person[]; headcount: number }) {
  const anonymous = headcount - people.length;
  return (
    <ul className="mb-0 ps-3 small">
      {people.map((p) => (
        <li key={p.id}>{p.name}</li>
      ))}
      {anonymous > 0 && <li>{anonymous === 1 ? '1 persona non ancora nominata' : `${anonymous} persone non ancora nominate`}</li>}
    </ul>
  );
}

function Comuni({ edition }: { edition: Edition }) {
  const named = edition.assignments.some((a) => peopleOf(a).length > 0);
  const summary = edition.assignments.map((a) => `${a.comune_name} ${a.headcount}`).join(', ');
  if (!named) return <span>{summary}</span>;
  return (
    <details>
      <summary>{summary}</summary>
      {edition.assignments.map((a) => (
        <div key={a.comune_istat_code} className="mt-1">
          <span className="small fw-semibold">{a.comune_name}</span>
          {a.road_km > 0 && <span className="small"> ({number.format(Math.round(a.road_km))} km)</span>}
          <PeopleList people={peopleOf(a)} headcount={a.headcount} />
        </div>
      ))}
    </details>
  );
}

/** Every edition of the plan: where, when, who, at what cost, and why there. */
export function EditionsTable({ plan, onEdit }: { plan: Plan; onEdit?: (key: string) => void }) {
  return (
    <section aria-labelledby="edizioni" className="mb-4">
      <h2 id="edizioni" className="h4" tabIndex={-1}>
        Edizioni
      </h2>
      {/* On a phone, a card per edition; from the tablet up, the table. */}
      <ul className="list-unstyled d-md-none plan-cards" aria-label={`Edizioni del piano (${plan.editions.length})`}>
        {plan.editions.map((e) => (
          <li key={e.key} className="card card-bg mb-3">
            <div className="card-body">
              <h3 className="h6">{e.theme_name}</h3>
              <dl className="row small mb-2">
                <dt className="col-5">Modalità</dt>
                <dd className="col-7">{PLANNED_MODALITY[e.modality]}</dd>
                {e.venue_name && (
                  <>
                    <dt className="col-5">Sede</dt>
                    <dd className="col-7">{e.venue_name}</dd>
                  </>
                )}
                <dt className="col-5">Date</dt>
                <dd className="col-7">{datesText(e.dates)}</dd>
                <dt className="col-5">Persone</dt>
                <dd className="col-7">{e.size}</dd>
                <dt className="col-5">Costo</dt>
                <dd className="col-7">{euro(e.cost.total_cents)}</dd>
              </dl>
              <div className="small mb-2">
                <Comuni edition={e} />
              </div>
              <p className="small mb-2">
                <strong>Perché qui:</strong> {e.reason}
              </p>
              {onEdit && (
                <button type="button" className="btn btn-outline-primary btn-xs" onClick={() => onEdit(e.key)}>
                  Modifica<span className="visually-hidden"> l’edizione {editionLabel(e)}</span>
                </button>
              )}
            </div>
          </li>
        ))}
      </ul>
      <div className="d-none d-md-block">
        <DataTable
          className="plan-editions"
          caption={`Edizioni del piano (${plan.editions.length})`}
          items={plan.editions}
          rowKey={(e) => e.key}
          size="sm"
          empty="Nessuna edizione."
          columns={[
            { header: 'Tema', rowHeader: true, cell: (e) => e.theme_name },
            { header: 'Modalità', cell: (e) => PLANNED_MODALITY[e.modality] },
            { header: 'Sede', cell: (e) => e.venue_name ?? '—' },
            { header: 'Date', cell: (e) => datesText(e.dates) },
            { header: 'Persone', numeric: true, cell: (e) => e.size },
            { header: 'Comuni e persone', cell: (e) => <Comuni edition={e} /> },
            { header: 'Costo', numeric: true, cell: (e) => euro(e.cost.total_cents) },
            { header: 'Perché qui', cell: (e) => <span className="small">{e.reason}</span> },
            onEdit !== undefined && {
              header: 'Modifica',
              cell: (e) => (
                <button type="button" className="btn btn-outline-primary btn-xs" onClick={() => onEdit(e.key)}>
                  Modifica<span className="visually-hidden"> l’edizione {editionLabel(e)}</span>
                </button>
              ),
            },
          ]}
        />
      </div>
    </section>
  );
}

/** The need lines left out, and why. */
export function UnservedTable({ plan, themeName }: { plan: Plan; themeName: (code: string) => string }) {
  const total = plan.unserved.reduce((n, u) => n + u.headcount, 0);
  return (
    <section aria-labelledby="non-servite" className="mb-4">
      <h2 id="non-servite" className="h4">
        Persone non servite
      </h2>
      <p>{total === 0 ? 'Il piano serve tutte le persone richieste.' : `${number.format(total)} persone restano fuori dal piano:`}</p>
      {plan.unserved.length > 0 && (
        <DataTable
          caption="Fabbisogni non serviti"
          captionHidden
          items={plan.unserved}
          rowKey={(u) => `${u.need_line_id}-${u.reason}`}
          size="sm"
          columns={[
            { header: 'Comune', rowHeader: true, cell: (u) => u.comune_name },
            { header: 'Tema', cell: (u) => themeName(u.theme_code) },
            { header: 'Persone', numeric: true, cell: (u) => u.headcount },
            { header: 'Chi', cell: (u) => <PeopleList people={u.employees} headcount={u.headcount} /> },
            { header: 'Motivo', cell: (u) => UNSERVED_REASON[u.reason] },
          ]}
        />
      )}
    </section>
  );
}

import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router-dom';
import { Badge, Button, Input } from 'design-react-kit';
import { api, asProblem, type Problem } from '../api/client';
import { fetchAll, type ItemOf } from '../api/collections';
import { useReference } from '../api/reference';
import { cancelEnrolment } from '../api/enrolments';
import type { components } from '../api/schema';
import { useAuth } from '../auth';
import { DataTable } from '../components/DataTable';
import { Outcome } from '../components/ErrorAlert';
import { Breadcrumbs, SignInPrompt } from '../components/Page';
import { SelectField } from '../components/SelectField';
import { duration, when } from '../format';
import { cancellable, hasBegun, isOver, standing, takesEnrolments } from '../enrolment';

type CatalogueEdition = ItemOf<'/catalogue/editions'>;
type Employee = ItemOf<'/employees'>;
type Enrolment = components['schemas']['EnrolmentResponse'];
type Session = components['schemas']['SessionResponse'];

/** An edition's enrolments: enrol (admin, referente, oneself), cancel, see the waitlist. */
export function EditionEnrolments() {
  const { id } = useParams();
  const editionId = Number(id);
  const { user } = useAuth();
  const [edition, setEdition] = useState<CatalogueEdition>();
  const [enrolments, setEnrolments] = useState<Enrolment[]>([]);
  const [sessions, setSessions] = useState<Session[]>([]);
  const [message, setMessage] = useState<string>();
  const [problem, setProblem] = useState<Problem>();
  const comuni = useReference('comuni', !!user);

  const load = useCallback(async () => {
    const { data } = await api.GET('/enrolments', { params: { query: { edition_id: editionId } } });
    if (data) setEnrolments(data.items);
  }, [editionId]);

  // The catalogue has no look-up by id: every page of it, so that no edition is missed.
  const loadEdition = useCallback(
    () =>
      fetchAll('/catalogue/editions').then(
        (all) => setEdition(all.find((e) => e.id === editionId)),
        () => undefined,
      ),
    [editionId],
  );

  useEffect(() => {
    loadEdition();
    if (user) load();
    if (user && (user.role === 'admin' || user.role === 'provider')) {
      api.GET('/editions/{id}/sessions', { params: { path: { id: editionId } } }).then(({ data }) => data && setSessions(data.items));
    }
  }, [user, editionId, load, loadEdition]);

  if (!user) return <SignInPrompt purpose="Per iscriversi" />;

  async function enrol(employeeId?: number) {
    const { data, error, response } = await api.POST('/enrolments', {
      body: { edition_id: editionId, ...(employeeId ? { employee_id: employeeId } : {}) },
    });
    if (data) {
      setProblem(undefined);
      setMessage(
        data.status === 'confirmed'
          ? `${data.employee_name}: iscrizione confermata.`
          : `${data.employee_name}: posti esauriti, in lista d'attesa al ${data.waitlist_position}° posto.`,
      );
      await Promise.all([load(), loadEdition()]);
    } else setProblem(asProblem(error, response.status));
  }

  async function cancel(e: Enrolment) {
    if (!window.confirm(`Annullare l'iscrizione di ${e.employee_name}?`)) return;
    const { error, response } = await cancelEnrolment(e.id);
    if (response.ok) {
      setProblem(undefined);
      setMessage(`Iscrizione di ${e.employee_name} annullata: il posto è passato al primo in lista d'attesa, se c'era.`);
      await Promise.all([load(), loadEdition()]);
    } else setProblem(asProblem(error, response.status));
  }

  // Seats taken by everyone (the catalogue's count), not only by the enrolments this caller sees.
  const taken = edition ? edition.capacity - edition.seats_left : undefined;
  const waiting = enrolments.filter((e) => e.status === 'waitlisted').length;
  const canEnrolOthers = (user.role === 'admin' || user.role === 'referente') && !isOver(edition);
  // Those who keep the registers come from the back office, and go back there.
  const manages = user.role === 'admin' || user.role === 'provider';
  const enrolled = enrolments.some((e) => e.status !== 'cancelled');
  const canSelfEnrol = user.role === 'employee' && edition?.self_enrolment && takesEnrolments(edition) && !enrolled;
  const closedToMe = user.role === 'employee' && edition && !enrolled && !canSelfEnrol;
  return (
    <>
      <Breadcrumbs
        parent={
          manages && edition
            ? [
                { to: '/gestione/corsi', label: 'Corsi' },
                { to: `/gestione/corsi/${edition.course_id}`, label: edition.course_title },
              ]
            : { to: '/catalogo', label: 'Catalogo' }
        }
        current={edition ? (manages ? edition.title : `${edition.course_title}, ${edition.title}`) : 'Edizione'}
      />
      <h1>{edition ? edition.course_title : 'Edizione'}</h1>
      {edition && (
        <p className="lead">
          {edition.title} · {edition.starts_at ? `dal ${when(edition.starts_at)}` : ''} · {edition.capacity} posti
        </p>
      )}
      {edition && taken !== undefined && (
        <p>
          <strong>{taken}</strong> {taken === 1 ? 'posto occupato' : 'posti occupati'} su {edition.capacity}
          {edition.seats_left === 0 && ': nuove iscrizioni in lista d’attesa'}
          {user.role !== 'employee' && (
            <>
              {' '}
              · <strong>{waiting}</strong> in lista d'attesa{user.role === 'referente' ? ' del vostro comune' : ''}
            </>
          )}
          .
        </p>
      )}
      <Outcome done={message} problem={problem} />
      {canSelfEnrol && (
        <Button color="primary" className="mb-4" onClick={() => enrol()}>
          Iscrivimi a questa edizione
        </Button>
      )}
      {closedToMe && <p>{selfEnrolmentClosed(edition)}</p>}
      {canEnrolOthers && <EnrolForm onEnrol={enrol} />}
      {sessions.length > 0 && (
        <section aria-labelledby="sessioni" className="mb-4">
          <h2 id="sessioni" className="h4">
            Registri delle presenze
          </h2>
          <ul>
            {sessions.map((s) => (
              <li key={s.id}>
                <Link to={`/sessioni/${s.id}`}>Sessione del {when(s.starts_at)}</Link> ({duration(s.hours)})
              </li>
            ))}
          </ul>
        </section>
      )}
      <DataTable
        caption="Iscrizioni in ordine di arrivo"
        size="sm"
        items={enrolments}
        rowKey={(e) => e.id}
        empty="Nessuna iscrizione."
        columns={[
          { header: 'Persona', rowHeader: true, cell: (e) => e.employee_name },
          { header: 'Comune', cell: (e) => comuni.find(e.comune_istat_code)?.name ?? e.comune_istat_code },
          {
            header: 'Stato',
            cell: (e) => {
              const tag = standing(e, edition);
              return <Badge color={tag.color}>{tag.label}</Badge>;
            },
          },
          // Before the first session there is nothing to count yet.
          { header: 'Ore', numeric: true, cell: (e) => (hasBegun(edition) ? duration(e.attended_hours) : '—') },
          {
            header: <span className="visually-hidden">Azioni</span>,
            cell: (e) =>
              cancellable(e, edition) &&
              user.role !== 'provider' && (
                <Button color="secondary" outline size="xs" onClick={() => cancel(e)}>
                  Annulla<span className="visually-hidden"> l'iscrizione di {e.employee_name}</span>
                </Button>
              ),
          },
        ]}
      />
    </>
  );
}

/** Why an employee cannot enrol themselves in this edition, in words. */
function selfEnrolmentClosed(edition: CatalogueEdition): string {
  if (isOver(edition)) return 'Edizione conclusa.';
  if (!edition.self_enrolment) return 'A questa edizione iscrive il referente del vostro comune.';
  if (edition.status === 'open' && new Date(edition.enrolment_opens_at) > new Date())
    return `Le iscrizioni aprono il ${when(edition.enrolment_opens_at)}.`;
  return 'Le iscrizioni a questa edizione sono chiuse.';
}

/** The most people a search offers: a longer list is no use in a select. */
const SEARCH_LIMIT = 50;

function EnrolForm({ onEnrol }: { onEnrol: (employeeId: number) => Promise<void> }) {
  const [q, setQ] = useState('');
  const [found, setFound] = useState<Employee[]>([]);
  const [matches, setMatches] = useState<number>();
  const [chosen, setChosen] = useState<string>('');

  async function search(event: FormEvent) {
    event.preventDefault();
    const { data } = await api.GET('/employees', { params: { query: { q: q.trim() || undefined, limit: SEARCH_LIMIT } } });
    if (data && typeof data !== 'string') {
      setFound(data.items);
      setMatches(data.total);
      setChosen(data.items[0] ? String(data.items[0].id) : '');
    }
  }

  return (
    <section aria-labelledby="iscrivi" className="mb-4">
      <h2 id="iscrivi" className="h4 mb-4">
        Iscrivi un dipendente
      </h2>
      <form onSubmit={search} className="d-flex flex-wrap gap-2 align-items-end">
        <div style={{ minWidth: '18rem' }}>
          <Input id="cerca-dipendente" type="search" label="Cerca per nome o codice fiscale" value={q} onChange={(e) => setQ(e.target.value)} />
        </div>
        <Button color="secondary" type="submit">
          Cerca
        </Button>
      </form>
      {matches !== undefined && (
        <p aria-live="polite" className="mt-2">
          {matches === 0 && 'Nessun dipendente trovato.'}
          {matches > found.length && `${matches} dipendenti trovati: qui i primi ${found.length}, precisare la ricerca per gli altri.`}
        </p>
      )}
      {found.length > 0 && (
        <div className="d-flex flex-wrap gap-2 align-items-end">
          <div style={{ minWidth: '18rem' }}>
            <SelectField
              id="dipendente"
              label="Dipendente"
              value={chosen}
              onChange={setChosen}
              options={found.map((e) => ({ value: e.id, label: `${e.family_name} ${e.given_name} (${e.tax_code})` }))}
            />
          </div>
          <Button color="primary" onClick={() => chosen && onEnrol(Number(chosen))}>
            Iscrivi
          </Button>
        </div>
      )}
    </section>
  );
}

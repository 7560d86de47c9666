import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router-dom';
import { Alert, Badge, Button, Input, Table } from 'design-react-kit';
import { api, asProblem, type Problem } from '../api/client';
import type { components, paths } from '../api/schema';
import { useAuth } from '../auth';
import { when } from '../download';
import { ENROLMENT_STATUS, statusText, type Enrolment } from '../enrolment';

type CatalogueEdition = paths['/catalogue/editions']['get']['responses'][200]['content']['application/json']['items'][number];
type Employee = components['schemas']['EmployeeResponse'];
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

  const load = useCallback(async () => {
    const { data } = await api.GET('/enrolments', { params: { query: { edition_id: editionId } } });
    if (data) setEnrolments(data.items);
  }, [editionId]);

  useEffect(() => {
    api.GET('/catalogue/editions', { params: { query: { limit: 200 } } }).then(({ data }) => {
      if (data && typeof data !== 'string') setEdition(data.items.find((e) => e.id === editionId));
    });
    if (user) load();
    if (user && (user.role === 'admin' || user.role === 'provider')) {
      api.GET('/editions/{id}/sessions', { params: { path: { id: editionId } } }).then(({ data }) => data && setSessions(data.items));
    }
  }, [user, editionId, load]);

  if (!user) {
    return (
      <p>
        Per iscriversi occorre <Link to="/accesso">accedere</Link>.
      </p>
    );
  }

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
      await load();
    } else setProblem(asProblem(error, response.status));
  }

  async function cancel(e: Enrolment) {
    if (!window.confirm(`Annullare l'iscrizione di ${e.employee_name}?`)) return;
    const { error, response } = await api.PATCH('/enrolments/{id}', {
      params: { path: { id: e.id } },
      body: { status: 'cancelled' },
      headers: { 'Content-Type': 'application/merge-patch+json' },
    });
    if (response.ok) {
      setProblem(undefined);
      setMessage(`Iscrizione di ${e.employee_name} annullata: il posto è passato al primo in lista d'attesa, se c'era.`);
      await load();
    } else setProblem(asProblem(error, response.status));
  }

  const seated = enrolments.filter((e) => e.status === 'confirmed' || e.status === 'completed').length;
  const waiting = enrolments.filter((e) => e.status === 'waitlisted').length;
  const canEnrolOthers = user.role === 'admin' || user.role === 'referente';
  const canSelfEnrol = user.role === 'employee' && edition?.self_enrolment && !enrolments.some((e) => e.status !== 'cancelled');
  return (
    <>
      <nav aria-label="Percorso" className="breadcrumb-container">
        <ol className="breadcrumb">
          <li className="breadcrumb-item">
            <Link to="/catalogo">Catalogo</Link>
            <span className="separator">/</span>
          </li>
          <li className="breadcrumb-item active" aria-current="page">
            Iscrizioni
          </li>
        </ol>
      </nav>
      <h1>{edition ? edition.course_title : 'Edizione'}</h1>
      {edition && (
        <p className="lead">
          {edition.title} · {edition.starts_at ? `dal ${when(edition.starts_at)}` : ''} · {edition.capacity} posti
        </p>
      )}
      <p>
        <strong>{seated}</strong> posti occupati{edition ? ` su ${edition.capacity}` : ''} · <strong>{waiting}</strong> in lista
        d'attesa{user.role === 'referente' ? ' (del suo comune)' : ''}.
      </p>
      {message && (
        <Alert color="success" role="status">
          {message}
        </Alert>
      )}
      {problem && <Alert color="danger">{problem.errors?.[0]?.detail ?? problem.detail}</Alert>}
      {canSelfEnrol && (
        <Button color="primary" className="mb-4" onClick={() => enrol()}>
          Iscrivimi a questa edizione
        </Button>
      )}
      {canEnrolOthers && <EnrolForm onEnrol={enrol} />}
      {sessions.length > 0 && (
        <section aria-labelledby="sessioni" className="mb-4">
          <h2 id="sessioni" className="h4">
            Registri delle presenze
          </h2>
          <ul>
            {sessions.map((s) => (
              <li key={s.id}>
                <Link to={`/sessioni/${s.id}`}>Sessione del {when(s.starts_at)}</Link> ({s.hours.toLocaleString('it-IT')} ore)
              </li>
            ))}
          </ul>
        </section>
      )}
      <Table responsive size="sm">
        <caption>Iscrizioni in ordine di arrivo</caption>
        <thead>
          <tr>
            <th scope="col">Persona</th>
            <th scope="col">Comune</th>
            <th scope="col">Stato</th>
            <th scope="col" className="numeric">
              Ore
            </th>
            <th scope="col">
              <span className="visually-hidden">Azioni</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {enrolments.map((e) => (
            <tr key={e.id}>
              <th scope="row">{e.employee_name}</th>
              <td>{e.comune_istat_code}</td>
              <td>
                <Badge color={ENROLMENT_STATUS[e.status].color}>{statusText(e)}</Badge>
              </td>
              <td className="numeric">{e.attended_hours_label}</td>
              <td>
                {(e.status === 'confirmed' || e.status === 'waitlisted') && user.role !== 'provider' && (
                  <Button color="secondary" outline size="xs" onClick={() => cancel(e)}>
                    Annulla<span className="visually-hidden"> l'iscrizione di {e.employee_name}</span>
                  </Button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </Table>
    </>
  );
}

function EnrolForm({ onEnrol }: { onEnrol: (employeeId: number) => Promise<void> }) {
  const [q, setQ] = useState('');
  const [found, setFound] = useState<Employee[]>([]);
  const [chosen, setChosen] = useState<string>('');

  async function search(event: FormEvent) {
    event.preventDefault();
    const { data } = await api.GET('/employees', { params: { query: { q: q.trim() || undefined, limit: 50 } } });
    if (data && typeof data !== 'string') {
      setFound(data.items);
      setChosen(data.items[0] ? String(data.items[0].id) : '');
    }
  }

  return (
    <section aria-labelledby="iscrivi" className="mb-4">
      <h2 id="iscrivi" className="h4">
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
      {found.length > 0 && (
        <div className="d-flex flex-wrap gap-2 align-items-end">
          <div className="select-wrapper" style={{ minWidth: '18rem' }}>
            <label htmlFor="dipendente">Dipendente</label>
            <select id="dipendente" value={chosen} onChange={(e) => setChosen(e.target.value)}>
              {found.map((e) => (
                <option key={e.id} value={e.id}>
                  {e.family_name} {e.given_name} ({e.tax_code})
                </option>
              ))}
            </select>
          </div>
          <Button color="primary" onClick={() => chosen && onEnrol(Number(chosen))}>
            Iscrivi
          </Button>
        </div>
      )}
    </section>
  );
}

import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router-dom';
import { Alert, Badge, Button, Table } from 'design-react-kit';
import { api, asProblem, fieldError, type Problem } from '../../api/client';
import type { components } from '../../api/schema';
import { useAuth } from '../../auth';
import { Field } from '../../Field';
import { when } from '../../download';
import { COURSE_STATUS, MODALITY_LABELS } from './Courses';

type Course = components['schemas']['CourseResponse'];
type Edition = components['schemas']['EditionResponse'];
type Venue = components['schemas']['VenueResponse'];
type EditionStatus = Edition['status'];

const EDITION_STATUS: Record<EditionStatus, { label: string; color: string }> = {
  draft: { label: 'Bozza', color: 'secondary' },
  open: { label: 'Iscrizioni aperte', color: 'success' },
  closed: { label: 'Iscrizioni chiuse', color: 'warning' },
  completed: { label: 'Conclusa', color: 'primary' },
  cancelled: { label: 'Annullata', color: 'dark' },
};
const NEXT: Partial<Record<EditionStatus, { to: EditionStatus; label: string }[]>> = {
  draft: [{ to: 'open', label: 'Apri le iscrizioni' }],
  open: [
    { to: 'closed', label: 'Chiudi le iscrizioni' },
    { to: 'cancelled', label: 'Annulla l’edizione' },
  ],
  closed: [
    { to: 'completed', label: 'Segna come conclusa' },
    { to: 'cancelled', label: 'Annulla l’edizione' },
  ],
};

/** "2027-03-15T09:00" in local time → RFC 3339. */
const iso = (local: string) => new Date(local).toISOString();

/** A course: its status, its editions and their lifecycle, and a new edition. */
export function CourseEditions() {
  const { id } = useParams();
  const courseId = Number(id);
  const { user } = useAuth();
  const [course, setCourse] = useState<Course>();
  const [editions, setEditions] = useState<Edition[]>([]);
  const [venues, setVenues] = useState<Venue[]>([]);
  const [problem, setProblem] = useState<Problem>();
  const [message, setMessage] = useState<string>();
  const [form, setForm] = useState({
    title: '',
    capacity: '25',
    comune_quota: '',
    opens: '',
    closes: '',
    start: '',
    end: '',
    venue: '',
    access_url: '',
  });

  const load = useCallback(async () => {
    const { data } = await api.GET('/courses/{id}', { params: { path: { id: courseId } } });
    if (data) setCourse(data);
    const list = await api.GET('/editions', { params: { query: { course_id: courseId, limit: 200 } } });
    if (list.data) setEditions(list.data.items);
  }, [courseId]);
  useEffect(() => {
    load();
    api.GET('/venues', { params: { query: { limit: 200 } } }).then(({ data }) => data && setVenues(data.items));
  }, [load]);

  if (!course) return problem ? <Alert color="danger">{problem.detail}</Alert> : <p role="status">Caricamento…</p>;

  async function setCourseStatus(status: Course['status']) {
    const { data, error, response } = await api.PATCH('/courses/{id}', {
      params: { path: { id: courseId }, header: {} },
      body: { status },
      headers: { 'Content-Type': 'application/merge-patch+json' },
    });
    if (data) setCourse(data);
    else setProblem(asProblem(error, response.status));
  }

  async function setEditionStatus(edition: Edition, status: EditionStatus) {
    const { error, response } = await api.PATCH('/editions/{id}', {
      params: { path: { id: edition.id }, header: {} },
      body: { status },
      headers: { 'Content-Type': 'application/merge-patch+json' },
    });
    if (response.ok) {
      setProblem(undefined);
      setMessage(`Edizione «${edition.title}»: ${EDITION_STATUS[status].label.toLowerCase()}.`);
      await load();
    } else setProblem(asProblem(error, response.status));
  }

  async function setEditionCapacity(edition: Edition, capacity: number) {
    const { error, response } = await api.PATCH('/editions/{id}', {
      params: { path: { id: edition.id }, header: {} },
      body: { capacity },
      headers: { 'Content-Type': 'application/merge-patch+json' },
    });
    if (response.ok) {
      setProblem(undefined);
      setMessage(`Edizione «${edition.title}»: ${capacity} posti. Se c'era una lista d'attesa, i primi sono stati iscritti.`);
      await load();
    } else setProblem(asProblem(error, response.status));
  }

  const delivery: Edition['delivery'] = course.modality === 'blended' ? 'in_person' : course.modality;
  async function submit(event: FormEvent) {
    event.preventDefault();
    const asynchronous = delivery === 'async_webinar';
    const { error, response } = await api.POST('/courses/{id}/editions', {
      params: { path: { id: courseId } },
      body: {
        title: form.title,
        delivery,
        capacity: Number(form.capacity),
        ...(form.comune_quota ? { comune_quota: Number(form.comune_quota) } : {}),
        enrolment_opens_at: form.opens ? iso(form.opens) : '',
        enrolment_closes_at: form.closes ? iso(form.closes) : '',
        self_enrolment: true,
        ...(asynchronous
          ? { available_from: form.start ? iso(form.start) : undefined, available_until: form.end ? iso(form.end) : undefined }
          : {
              sessions: form.start && form.end
                ? [{ starts_at: iso(form.start), ends_at: iso(form.end), ...(delivery === 'in_person' && form.venue ? { venue_id: Number(form.venue) } : {}) }]
                : [],
            }),
        ...(delivery !== 'in_person' && form.access_url ? { access_url: form.access_url } : {}),
      },
    });
    if (response.ok) {
      setProblem(undefined);
      setMessage(`Edizione «${form.title}» creata in bozza.`);
      await load();
    } else setProblem(asProblem(error, response.status));
  }

  const set = (key: keyof typeof form) => (value: string) => setForm({ ...form, [key]: value });
  return (
    <>
      <nav aria-label="Percorso" className="breadcrumb-container">
        <ol className="breadcrumb">
          <li className="breadcrumb-item">
            <Link to="/gestione/corsi">Corsi</Link>
            <span className="separator">/</span>
          </li>
          <li className="breadcrumb-item active" aria-current="page">
            {course.title}
          </li>
        </ol>
      </nav>
      <h1>{course.title}</h1>
      <p>
        <Badge color={COURSE_STATUS[course.status].color}>{COURSE_STATUS[course.status].label}</Badge> · {MODALITY_LABELS[course.modality]} ·{' '}
        {course.hours.toLocaleString('it-IT')} ore · frequenza minima {course.min_attendance_percent}%
      </p>
      {user?.role === 'admin' && course.status === 'draft' && (
        <Button color="primary" className="mb-4" onClick={() => setCourseStatus('published')}>
          Pubblica il corso
        </Button>
      )}
      {message && (
        <Alert color="success" role="status">
          {message}
        </Alert>
      )}
      {problem && (
        <Alert color="danger">
          {problem.detail}
          {problem.errors && (
            <ul className="mb-0">
              {problem.errors.map((e) => (
                <li key={`${e.pointer}${e.parameter}`}>
                  {e.pointer?.replace('#/', '')}: {e.detail}
                </li>
              ))}
            </ul>
          )}
        </Alert>
      )}
      <Table responsive size="sm">
        <caption>Edizioni</caption>
        <thead>
          <tr>
            <th scope="col">Edizione</th>
            <th scope="col">Inizio</th>
            <th scope="col" className="numeric">
              Posti
            </th>
            <th scope="col">Stato</th>
            <th scope="col">
              <span className="visually-hidden">Azioni</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {editions.map((e) => (
            <tr key={e.id}>
              <th scope="row">
                <Link to={`/edizioni/${e.id}`}>{e.title}</Link>
              </th>
              <td>{when(e.sessions[0]?.starts_at ?? e.available_from)}</td>
              <td className="numeric">
                <SeatsEditor edition={e} onSave={(capacity) => setEditionCapacity(e, capacity)} />
              </td>
              <td>
                <Badge color={EDITION_STATUS[e.status].color}>{EDITION_STATUS[e.status].label}</Badge>
              </td>
              <td className="d-flex flex-wrap gap-1">
                {(NEXT[e.status] ?? []).map((n) => (
                  <Button key={n.to} color="secondary" outline size="xs" onClick={() => setEditionStatus(e, n.to)}>
                    {n.label}
                    <span className="visually-hidden">: {e.title}</span>
                  </Button>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </Table>
      <section aria-labelledby="nuova-edizione" className="mt-5">
        <h2 id="nuova-edizione" className="h4">
          Nuova edizione ({MODALITY_LABELS[delivery]})
        </h2>
        <form onSubmit={submit} noValidate className="mt-5">
          <div className="row">
            <div className="col-md-6">
              <Field id="ed-titolo" label="Titolo" value={form.title} onChange={set('title')} error={fieldError(problem, 'title')} required />
            </div>
            <div className="col-md-3">
              <Field id="ed-posti" label="Posti" type="number" value={form.capacity} onChange={set('capacity')} error={fieldError(problem, 'capacity')} required />
            </div>
            <div className="col-md-3">
              <Field id="ed-quota" label="Posti massimi per comune" type="number" value={form.comune_quota} onChange={set('comune_quota')} error={fieldError(problem, 'comune_quota')} />
            </div>
            <div className="col-md-6">
              <DateTimeField id="ed-apre" label="Iscrizioni dal" value={form.opens} onChange={set('opens')} error={fieldError(problem, 'enrolment_opens_at')} />
            </div>
            <div className="col-md-6">
              <DateTimeField id="ed-chiude" label="Iscrizioni fino al" value={form.closes} onChange={set('closes')} error={fieldError(problem, 'enrolment_closes_at')} />
            </div>
            <div className="col-md-6">
              <DateTimeField
                id="ed-inizio"
                label={delivery === 'async_webinar' ? 'Disponibile dal' : 'Inizio della sessione'}
                value={form.start}
                onChange={set('start')}
                error={fieldError(problem, delivery === 'async_webinar' ? 'available_from' : 'sessions')}
              />
            </div>
            <div className="col-md-6">
              <DateTimeField
                id="ed-fine"
                label={delivery === 'async_webinar' ? 'Disponibile fino al' : 'Fine della sessione'}
                value={form.end}
                onChange={set('end')}
                error={fieldError(problem, delivery === 'async_webinar' ? 'available_until' : 'sessions/0/ends_at')}
              />
            </div>
            {delivery === 'in_person' ? (
              <div className="col-md-6 select-wrapper mb-4">
                <label htmlFor="ed-sede">Sede</label>
                <select id="ed-sede" value={form.venue} onChange={(e) => set('venue')(e.target.value)}>
                  <option value="">Scegliere una sede</option>
                  {venues.map((v) => (
                    <option key={v.id} value={v.id}>
                      {v.name} ({v.capacity} posti)
                    </option>
                  ))}
                </select>
              </div>
            ) : (
              <div className="col-md-6">
                <Field id="ed-link" label="Collegamento al webinar" value={form.access_url} onChange={set('access_url')} error={fieldError(problem, 'access_url')} />
              </div>
            )}
          </div>
          <Button color="primary" type="submit">
            Crea l'edizione
          </Button>
        </form>
      </section>
    </>
  );
}

/** The seats of an edition, changed in place: more seats promote the waitlist. */
function SeatsEditor({ edition, onSave }: { edition: Edition; onSave: (capacity: number) => void }) {
  const [value, setValue] = useState(String(edition.capacity));
  const changed = value !== String(edition.capacity);
  return (
    <span className="d-inline-flex gap-1 align-items-center">
      <input
        className="form-control form-control-sm text-end"
        style={{ width: '5rem' }}
        inputMode="numeric"
        aria-label={`Posti: ${edition.title}`}
        value={value}
        onChange={(e) => setValue(e.target.value)}
      />
      {changed && (
        <Button color="primary" size="xs" onClick={() => onSave(Number(value))}>
          Salva<span className="visually-hidden"> i posti di {edition.title}</span>
        </Button>
      )}
    </span>
  );
}

function DateTimeField({ id, label, value, onChange, error }: { id: string; label: string; value: string; onChange: (v: string) => void; error?: string }) {
  return (
    <div className="form-group">
      <label htmlFor={id} className="active">
        {label}
      </label>
      <input
        id={id}
        type="datetime-local"
        className={`form-control${error ? ' is-invalid' : ''}`}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-errore` : undefined}
      />
      {error && (
        <div id={`${id}-errore`} className="invalid-feedback d-block">
          {error}
        </div>
      )}
    </div>
  );
}

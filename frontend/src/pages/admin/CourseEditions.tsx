import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { Badge, Button } from 'design-react-kit';
import { api, asProblem } from '../../api/client';
import { usePagedList } from '../../api/collections';
import type { components } from '../../api/schema';
import { useApi } from '../../api/useApi';
import { useAuth } from '../../auth';
import { FormSection, useApiForm } from '../../components/ApiForm';
import { PagedTable } from '../../components/DataTable';
import { ErrorAlert, Outcome } from '../../components/ErrorAlert';
import { Breadcrumbs } from '../../components/Page';
import { ReferenceSelect } from '../../components/SelectField';
import { Field } from '../../Field';
import { count, fee, when } from '../../format';
import { COURSE_STATUS, EDITION_STATUS, LANGUAGE, MODALITY, type EditionStatus } from '../../labels';

type Course = components['schemas']['CourseResponse'];
type Edition = components['schemas']['EditionResponse'];
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

/** The new edition's labels, where the form's words differ from the shared ones. */
const EDITION_LABELS = {
  enrolment_opens_at: 'Iscrizioni dal',
  enrolment_closes_at: 'Iscrizioni fino al',
  sessions: 'Inizio della sessione',
  'sessions/0/ends_at': 'Fine della sessione',
  'sessions/0/venue_id': 'Sede',
};

/** "2027-03-15T09:00" in local time → RFC 3339. */
const iso = (local: string) => new Date(local).toISOString();

/** A course: its status, its editions and their lifecycle, and a new edition. */
export function CourseEditions() {
  const { id } = useParams();
  const courseId = Number(id);
  const { user } = useAuth();
  const loaded = useApi(() => api.GET('/courses/{id}', { params: { path: { id: courseId } } }), [courseId]);
  const { data: course, problem, setProblem } = loaded;
  const editions = usePagedList('/editions', { course_id: courseId });
  const [message, setMessage] = useState<string>();
  const f = useApiForm(
    { title: '', capacity: '25', comune_quota: '', enrolment_opens_at: '', enrolment_closes_at: '', start: '', end: '', venue: '', access_url: '' },
    'ed',
    EDITION_LABELS,
  );

  if (!course) return problem ? <ErrorAlert problem={problem} /> : <p role="status">Caricamento…</p>;

  async function setCourseStatus(status: Course['status']) {
    const { data, error, response } = await api.PATCH('/courses/{id}', {
      params: { path: { id: courseId }, header: {} },
      body: { status },
      headers: { 'Content-Type': 'application/merge-patch+json' },
    });
    if (data) loaded.setData(data, response);
    else setProblem(asProblem(error, response.status));
  }

  /** Changes an edition in place and says what came of it. */
  async function patchEdition(edition: Edition, body: { status?: EditionStatus; capacity?: number }, outcome: string) {
    const { error, response } = await api.PATCH('/editions/{id}', {
      params: { path: { id: edition.id }, header: {} },
      body,
      headers: { 'Content-Type': 'application/merge-patch+json' },
    });
    if (response.ok) {
      setProblem(undefined);
      setMessage(`Edizione «${edition.title}»: ${outcome}`);
      editions.reload();
    } else setProblem(asProblem(error, response.status));
  }
  const setEditionStatus = (edition: Edition, status: EditionStatus) => patchEdition(edition, { status }, `${EDITION_STATUS[status].label.toLowerCase()}.`);
  const setEditionCapacity = (edition: Edition, capacity: number) =>
    patchEdition(edition, { capacity }, `${capacity} posti. Se c'era una lista d'attesa, i primi sono stati iscritti.`);

  const delivery: Edition['delivery'] = course.modality === 'blended' ? 'in_person' : course.modality;
  const asynchronous = delivery === 'async_webinar';
  async function submit() {
    const { form } = f;
    const body = {
      title: form.title,
      delivery,
      capacity: Number(form.capacity),
      ...(form.comune_quota ? { comune_quota: Number(form.comune_quota) } : {}),
      enrolment_opens_at: form.enrolment_opens_at ? iso(form.enrolment_opens_at) : '',
      enrolment_closes_at: form.enrolment_closes_at ? iso(form.enrolment_closes_at) : '',
      self_enrolment: true,
      ...(asynchronous
        ? { available_from: form.start ? iso(form.start) : undefined, available_until: form.end ? iso(form.end) : undefined }
        : {
            sessions: form.start && form.end
              ? [{ starts_at: iso(form.start), ends_at: iso(form.end), ...(delivery === 'in_person' && form.venue ? { venue_id: Number(form.venue) } : {}) }]
              : [],
          }),
      ...(delivery !== 'in_person' && form.access_url ? { access_url: form.access_url } : {}),
    };
    const created = () => `Edizione «${form.title}» creata in bozza.`;
    if (await f.send(api.POST('/courses/{id}/editions', { params: { path: { id: courseId } }, body }), created)) editions.reload();
  }

  return (
    <>
      <Breadcrumbs parent={{ to: '/gestione/corsi', label: 'Corsi' }} current={course.title} />
      <h1>{course.title}</h1>
      <p>
        <Badge color={COURSE_STATUS[course.status].color}>{COURSE_STATUS[course.status].label}</Badge> · {MODALITY[course.modality]} ·{' '}
        {course.hours.toLocaleString('it-IT')} ore · frequenza minima {course.min_attendance_percent}% · {fee(course.participant_fee_eur)} ·{' '}
        {LANGUAGE[course.language]}
      </p>
      {user?.role === 'admin' && course.status === 'draft' && (
        <Button color="primary" className="mb-4" onClick={() => setCourseStatus('published')}>
          Pubblica il corso
        </Button>
      )}
      <Outcome done={message} problem={problem} />
      <PagedTable
        list={editions}
        count={(n) => count(n, 'edizione', 'edizioni')}
        caption="Edizioni"
        size="sm"
        rowKey={(e) => e.id}
        empty="Nessuna edizione: crearne una qui sotto."
        columns={[
          { header: 'Edizione', rowHeader: true, cell: (e) => <Link to={`/edizioni/${e.id}`}>{e.title}</Link> },
          { header: 'Inizio', cell: (e) => when(e.sessions[0]?.starts_at ?? e.available_from) },
          {
            header: 'Posti',
            numeric: true,
            cell: (e) => <SeatsEditor key={e.capacity} edition={e} onSave={(capacity) => setEditionCapacity(e, capacity)} />,
          },
          { header: 'Stato', cell: (e) => <Badge color={EDITION_STATUS[e.status].color}>{EDITION_STATUS[e.status].label}</Badge> },
          {
            header: <span className="visually-hidden">Azioni</span>,
            cell: (e) => (
              <div className="d-flex flex-wrap gap-1">
                {(NEXT[e.status] ?? []).map((n) => (
                  <Button key={n.to} color="secondary" outline size="xs" onClick={() => setEditionStatus(e, n.to)}>
                    {n.label}
                    <span className="visually-hidden">: {e.title}</span>
                  </Button>
                ))}
              </div>
            ),
          },
        ]}
      />
      <FormSection form={f} id="nuova-edizione" title={`Nuova edizione (${MODALITY[delivery]})`} submitLabel="Crea l'edizione" onSubmit={submit}>
        <div className="row">
          <Field {...f.field('title')} required className="col-md-6" />
          <Field {...f.field('capacity')} type="number" required className="col-md-3" />
          <Field {...f.field('comune_quota')} type="number" className="col-md-3" />
          <DateTimeField {...f.field('enrolment_opens_at')} className="col-md-6" />
          <DateTimeField {...f.field('enrolment_closes_at')} className="col-md-6" />
          <DateTimeField {...f.field('start', asynchronous ? 'available_from' : 'sessions')} className="col-md-6" />
          <DateTimeField {...f.field('end', asynchronous ? 'available_until' : 'sessions/0/ends_at')} className="col-md-6" />
          {delivery === 'in_person' ? (
            <ReferenceSelect source="venues" {...f.field('venue', 'sessions/0/venue_id')} className="col-md-6 mb-4" placeholder="Scegliere una sede" />
          ) : (
            <Field {...f.field('access_url')} className="col-md-6" />
          )}
        </div>
      </FormSection>
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

function DateTimeField({ id, label, value, onChange, error, className }: { id: string; label: string; value: string; onChange: (v: string) => void; error?: string; className?: string }) {
  return (
    <div className={['form-group', className].filter(Boolean).join(' ')}>
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

import { Fragment, useState } from 'react';
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
import { count, duration, fee, when } from '../../format';
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
  // A provider's staff propose seat, date and status changes of published editions, unless
  // the Province lets their provider act alone.
  const providerId = user?.role === 'provider' ? user.provider_id : undefined;
  const provider = useApi(() => api.GET('/providers/{id}', { params: { path: { id: providerId ?? 0 } } }), [providerId], !!providerId);
  const mustPropose = !!provider.data?.edition_changes_need_approval;
  const [proposing, setProposing] = useState<{ edition: Edition; capacity?: number; cancel?: boolean }>();
  const proposes = (e: Edition) => mustPropose && e.status !== 'draft';
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
        {duration(course.hours)} · frequenza minima {course.min_attendance_percent}% · {fee(course.participant_fee_eur)} ·{' '}
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
        stacked
        rowKey={(e) => e.id}
        empty="Nessuna edizione: crearne una qui sotto."
        columns={[
          { header: 'Edizione', rowHeader: true, cell: (e) => <Link to={`/edizioni/${e.id}`}>{e.title}</Link> },
          { header: 'Inizio', cell: (e) => when(e.sessions[0]?.starts_at ?? e.available_from) },
          {
            header: 'Posti',
            numeric: true,
            cell: (e) => (
              <SeatsEditor
                key={e.capacity}
                edition={e}
                saveLabel={proposes(e) ? 'Proponi' : 'Salva'}
                onSave={(capacity) => (proposes(e) ? setProposing({ edition: e, capacity }) : setEditionCapacity(e, capacity))}
              />
            ),
          },
          { header: 'Stato', cell: (e) => <Badge color={EDITION_STATUS[e.status].color}>{EDITION_STATUS[e.status].label}</Badge> },
          {
            header: <span className="visually-hidden">Azioni</span>,
            cell: (e) => (
              <div className="d-flex flex-wrap gap-1">
                {(NEXT[e.status] ?? []).map((n) =>
                  n.to === 'cancelled' && proposes(e) ? (
                    <Button key={n.to} color="secondary" outline size="xs" onClick={() => setProposing({ edition: e, cancel: true })}>
                      Proponi l’annullamento
                      <span className="visually-hidden">: {e.title}</span>
                    </Button>
                  ) : (
                    <Button key={n.to} color="secondary" outline size="xs" onClick={() => setEditionStatus(e, n.to)}>
                      {n.label}
                      <span className="visually-hidden">: {e.title}</span>
                    </Button>
                  ),
                )}
                {proposes(e) && e.status !== 'completed' && e.status !== 'cancelled' && (
                  <Button color="secondary" outline size="xs" onClick={() => setProposing({ edition: e })}>
                    Proponi una modifica
                    <span className="visually-hidden">: {e.title}</span>
                  </Button>
                )}
              </div>
            ),
          },
        ]}
      />
      {mustPropose && (
        <p className="small">
          Posti, date e annullamento delle edizioni pubblicate cambiano con l’approvazione della Provincia:{' '}
          <Link to="/gestione/proposte">le vostre proposte</Link>.
        </p>
      )}
      {proposing && (
        <ProposeChange
          key={`${proposing.edition.id}-${proposing.capacity}-${proposing.cancel}`}
          {...proposing}
          onClose={() => setProposing(undefined)}
          onSent={(text) => {
            setProposing(undefined);
            setProblem(undefined);
            setMessage(text);
          }}
        />
      )}
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
function SeatsEditor({ edition, saveLabel, onSave }: { edition: Edition; saveLabel: string; onSave: (capacity: number) => void }) {
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
          {saveLabel}
          <span className="visually-hidden"> i posti di {edition.title}</span>
        </Button>
      )}
    </span>
  );
}

/** RFC 3339 → "2027-03-15T09:00" in local time, for a datetime-local input. */
const local = (timestamp: string) => {
  const d = new Date(timestamp);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 16);
};

const PROPOSAL_LABELS = {
  capacity: 'Posti',
  reason: 'Motivo della modifica',
  sessions: 'Sessioni',
  available_from: 'Disponibile dal',
  available_until: 'Disponibile fino al',
};

interface ProposeChangeProps {
  edition: Edition;
  capacity?: number;
  cancel?: boolean;
  onClose: () => void;
  onSent: (message: string) => void;
}

/**
 * A proposal to the Province: new seats, new dates for each session (or availability), or
 * the cancellation, and why. Only what differs from the edition is sent.
 */
function ProposeChange({ edition, capacity, cancel = false, onClose, onSent }: ProposeChangeProps) {
  const asynchronous = edition.delivery === 'async_webinar';
  const sessionFields = Object.fromEntries(
    edition.sessions.flatMap((s, i) => [
      [`start_${i}`, local(s.starts_at)],
      [`end_${i}`, local(s.ends_at)],
    ]),
  );
  const f = useApiForm(
    {
      capacity: String(capacity ?? edition.capacity),
      reason: '',
      available_from: edition.available_from ? local(edition.available_from) : '',
      available_until: edition.available_until ? local(edition.available_until) : '',
      ...sessionFields,
    } as Record<string, string>,
    'proposta',
    PROPOSAL_LABELS,
  );
  const [cancelling, setCancelling] = useState(cancel);

  async function submit() {
    const { form } = f;
    const sessions = edition.sessions.map((s, i) => ({
      starts_at: form[`start_${i}`] ? iso(form[`start_${i}`]) : s.starts_at,
      ends_at: form[`end_${i}`] ? iso(form[`end_${i}`]) : s.ends_at,
      ...(s.venue_id ? { venue_id: s.venue_id } : {}),
    }));
    const moved = sessions.some((s, i) => s.starts_at !== new Date(edition.sessions[i].starts_at).toISOString() || s.ends_at !== new Date(edition.sessions[i].ends_at).toISOString());
    const seats = Number(form.capacity);
    const from = form.available_from && iso(form.available_from);
    const until = form.available_until && iso(form.available_until);
    const body = {
      reason: form.reason,
      ...(cancelling ? { cancel: true } : {}),
      ...(!cancelling && form.capacity !== String(edition.capacity) ? { capacity: Number.isFinite(seats) ? seats : 0 } : {}),
      ...(!cancelling && moved ? { sessions } : {}),
      ...(!cancelling && from && (!edition.available_from || from !== new Date(edition.available_from).toISOString()) ? { available_from: from } : {}),
      ...(!cancelling && until && (!edition.available_until || until !== new Date(edition.available_until).toISOString()) ? { available_until: until } : {}),
    };
    const sent = await f.send(
      api.POST('/editions/{id}/change-proposals', { params: { path: { id: edition.id } }, body }),
      () => '',
    );
    if (sent) onSent(`Proposta per «${edition.title}» inviata alla Provincia: riceverete la decisione per e-mail.`);
  }

  return (
    <FormSection form={f} id="proposta" title={`Proponi una modifica: ${edition.title}`} submitLabel="Invia la proposta" onSubmit={submit}>
      <div className="form-check mb-4">
        <input id="proposta-annulla" className="form-check-input" type="checkbox" checked={cancelling} onChange={(e) => setCancelling(e.target.checked)} />
        <label className="form-check-label" htmlFor="proposta-annulla">
          Annullare l’edizione (gli iscritti saranno avvisati)
        </label>
      </div>
      {!cancelling && (
        <div className="row">
          <Field {...f.field('capacity')} type="number" className="col-md-3" />
          <div className="w-100" />
          {asynchronous ? (
            <>
              <DateTimeField {...f.field('available_from')} className="col-md-6" />
              <DateTimeField {...f.field('available_until')} className="col-md-6" />
            </>
          ) : (
            edition.sessions.map((_, i) => (
              <Fragment key={i}>
                <DateTimeField {...f.field(`start_${i}`, i === 0 ? 'sessions' : `sessions/${i}/starts_at`)} label={`Sessione ${i + 1}: inizio`} className="col-md-6" />
                <DateTimeField {...f.field(`end_${i}`, `sessions/${i}/ends_at`)} label={`Sessione ${i + 1}: fine`} className="col-md-6" />
              </Fragment>
            ))
          )}
        </div>
      )}
      <div className="form-group">
        <label htmlFor="proposta-reason" className="active">
          {PROPOSAL_LABELS.reason}
        </label>
        <textarea
          id="proposta-reason"
          className={`form-control${f.field('reason').error ? ' is-invalid' : ''}`}
          rows={3}
          maxLength={2000}
          value={f.form.reason}
          onChange={(e) => f.set('reason')(e.target.value)}
          aria-invalid={f.field('reason').error ? true : undefined}
          aria-describedby={f.field('reason').error ? 'proposta-reason-errore' : undefined}
        />
        {f.field('reason').error && (
          <div id="proposta-reason-errore" className="invalid-feedback d-block">
            {f.field('reason').error}
          </div>
        )}
      </div>
      <Button color="secondary" outline className="me-2 mb-3" type="button" onClick={onClose}>
        Lascia perdere
      </Button>
    </FormSection>
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

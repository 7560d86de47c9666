import { useEffect, useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { Badge, Button, CardText, Col, Row } from 'design-react-kit';
import { api, asProblem, type Problem } from '../api/client';
import { fetchAll } from '../api/collections';
import { cancelEnrolment } from '../api/enrolments';
import type { components } from '../api/schema';
import { useApi } from '../api/useApi';
import { useAuth } from '../auth';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { CourseCard } from '../components/CourseCard';
import { ErrorAlert, Outcome } from '../components/ErrorAlert';
import { SignInPrompt } from '../components/Page';
import { SelectField } from '../components/SelectField';
import { download } from '../download';
import { address, duration, longDate, sessionSpan } from '../format';
import { cancellable, completedOn, hasBegun, isOver, standing } from '../enrolment';
import { MODALITY } from '../labels';

type Enrolment = components['schemas']['EnrolmentResponse'];
type Edition = components['schemas']['CatalogueEdition'];
type Session = components['schemas']['CatalogueSession'];

/**
 * The editions of these enrolments, from the public catalogue (an employee may not read
 * `/editions/{id}`): one search per course, not one request per enrolment. An edition
 * that left the catalogue (cancelled, its course archived) is simply missing.
 */
function useEditionsOf(enrolments: Enrolment[] | undefined): Map<number, Edition> | undefined {
  const [editions, setEditions] = useState<Map<number, Edition>>();
  const titles = enrolments && [...new Set(enrolments.map((e) => e.course_title))].sort();
  const key = titles?.join('\n');
  useEffect(() => {
    if (!titles) return;
    let stale = false;
    Promise.all(titles.map((q) => fetchAll('/catalogue/editions', { q })))
      .then((found) => !stale && setEditions(new Map(found.flat().map((e) => [e.id, e]))))
      .catch(() => !stale && setEditions(new Map()));
    return () => {
      stale = true;
    };
    // The titles are compared by value, through their key.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  return editions;
}

/** Where a session is: the venue, or "Online" for a webinar. */
function place(session: Session): string {
  const v = session.venue;
  return v ? address(v.name, v.address, v.comune_name) : 'Online';
}

/** The result of an enrolment, in words: what happened or what it waits for. */
function outcome(e: Enrolment, edition: Edition | undefined): string {
  const attended = duration(e.attended_hours);
  switch (e.status) {
    case 'completed': {
      const on = completedOn(e, edition);
      return `Completato${on ? ` il ${longDate(on)}` : ''}, con ${attended} di frequenza.`;
    }
    case 'cancelled':
      return 'Iscrizione annullata.';
    case 'waitlisted':
      return isOver(edition)
        ? "L'edizione si è conclusa senza che si liberasse un posto."
        : "In attesa di un posto: chi annulla libera il posto al primo della lista d'attesa.";
    case 'confirmed':
      if (edition?.status === 'completed') return `Non completato: presenze insufficienti (${attended} di frequenza, meno del minimo richiesto).`;
      if (isOver(edition)) return `In attesa dell'esito: ${attended} di frequenza registrate finora.`;
      if (hasBegun(edition)) return `Corso in svolgimento: ${attended} di frequenza registrate finora.`;
      return 'In attesa: il corso non è ancora iniziato.';
  }
}

/** An employee's own courses: when and where, status and outcome, certificates and the feedback questionnaire. */
export function MyCourses() {
  const { user } = useAuth();
  const { data, problem, setProblem, reload: load } = useApi(() => api.GET('/enrolments'), [], !!user);
  const enrolments = data?.items;
  const editions = useEditionsOf(enrolments);
  const [cancelling, setCancelling] = useState<Enrolment>();
  const [done, setDone] = useState<string>();
  const [thanked, setThanked] = useState<number>();

  if (!user) return <SignInPrompt purpose="Per vedere i propri corsi" />;

  async function cancel(e: Enrolment) {
    setCancelling(undefined);
    const { error, response } = await cancelEnrolment(e.id);
    if (response.ok) {
      setProblem(undefined);
      setDone(`Iscrizione a «${e.course_title}» annullata.`);
    } else setProblem(asProblem(error, response.status));
    load();
  }

  async function certificate(e: Enrolment) {
    const ok = await download(`/enrolments/${e.id}/certificate`, 'application/pdf', 'attestato.pdf');
    if (!ok) setProblem({ type: 'about:blank', title: 'Attestato non disponibile', status: 409, detail: `Il corso «${e.course_title}» non rilascia un attestato scaricabile.` });
  }

  return (
    <>
      <h1 className="mb-4">I miei corsi</h1>
      <Outcome done={done} problem={problem} />
      {enrolments?.length === 0 && (
        <p>
          Nessuna iscrizione. Nel <Link to="/catalogo">catalogo</Link> trovate i corsi aperti.
        </p>
      )}
      <Row>
        {enrolments?.map((e) => {
          const edition = editions?.get(e.edition_id);
          return (
            <Col lg={6} key={e.id} className="mb-3">
              <CourseCard title={e.course_title}>
                <CardText>
                  {e.edition_title}
                  {edition && ` · ${MODALITY[edition.delivery]}`} · <StandingBadge enrolment={e} edition={edition} />
                </CardText>
                <When edition={edition} loading={!editions} />
                <p className="mb-3">
                  <strong>Esito</strong>: {outcome(e, edition)}
                </p>
                <div className="d-flex flex-wrap gap-2 mb-2">
                  {e.status === 'completed' && (
                    <Button color="primary" size="sm" onClick={() => certificate(e)}>
                      Scarica l'attestato<span className="visually-hidden">: {e.course_title}</span>
                    </Button>
                  )}
                  {cancellable(e, edition) && (
                    <Button color="secondary" outline size="sm" onClick={() => setCancelling(e)}>
                      Annulla iscrizione<span className="visually-hidden">: {e.course_title}</span>
                    </Button>
                  )}
                </div>
                {e.status === 'completed' && !e.feedback_given && (
                  <Feedback
                    enrolment={e}
                    onDone={() => {
                      setThanked(e.id);
                      load();
                    }}
                  />
                )}
                {thanked === e.id && e.feedback_given && (
                  <p className="text-success fw-semibold mb-0" role="status">
                    Grazie: il questionario è stato inviato, in forma anonima.
                  </p>
                )}
              </CourseCard>
            </Col>
          );
        })}
      </Row>
      <ConfirmDialog
        open={!!cancelling}
        title="Annullare l'iscrizione?"
        confirmLabel="Annulla iscrizione"
        cancelLabel="Mantieni l'iscrizione"
        onConfirm={() => cancelling && cancel(cancelling)}
        onCancel={() => setCancelling(undefined)}
      >
        <p>
          L'iscrizione a «{cancelling?.course_title}» ({cancelling?.edition_title}) sarà annullata
          {cancelling?.status === 'waitlisted' ? ": lascerà la lista d'attesa." : " e il posto passerà al primo della lista d'attesa."} Per tornare al
          corso occorrerà iscriversi di nuovo, se ci saranno posti.
        </p>
      </ConfirmDialog>
    </>
  );
}

function StandingBadge({ enrolment, edition }: { enrolment: Enrolment; edition: Edition | undefined }) {
  const tag = standing(enrolment, edition);
  return <Badge color={tag.color}>{tag.label}</Badge>;
}

/** The dates and places of an edition: every session, or the availability of a recorded webinar. */
function When({ edition, loading }: { edition: Edition | undefined; loading: boolean }) {
  if (loading) return <CardText role="status">Caricamento del calendario…</CardText>;
  if (!edition) return <CardText>Date e luogo non più pubblicati nel catalogo.</CardText>;
  if (edition.sessions.length === 0)
    return (
      <CardText>
        Online
        {edition.starts_at && edition.ends_at && `, disponibile dal ${longDate(edition.starts_at)} al ${longDate(edition.ends_at)}`}
      </CardText>
    );
  return (
    <ul className="list-unstyled mb-3">
      {edition.sessions.map((s) => (
        <li key={s.starts_at} className="mb-2">
          <span className="d-block">{sessionSpan(s.starts_at, s.ends_at)}</span>
          <span className="d-block">{place(s)}</span>
        </li>
      ))}
    </ul>
  );
}

const SCORES = ['1', '2', '3', '4', '5'].map((v) => ({ value: v, label: v }));

const QUESTIONS = [
  ['content', 'Contenuti'],
  ['teacher', 'Docente'],
  ['organisation', 'Organizzazione'],
  ['usefulness', 'Utilità per il lavoro'],
] as const;

function Feedback({ enrolment, onDone }: { enrolment: Enrolment; onDone: () => void }) {
  // No answer is chosen for the person: a score counts only if they gave it.
  const [scores, setScores] = useState({ content: '', teacher: '', organisation: '', usefulness: '' });
  const [comment, setComment] = useState('');
  const [problem, setProblem] = useState<Problem>();
  const [missing, setMissing] = useState<string[]>([]);

  async function send(event: FormEvent) {
    event.preventDefault();
    const unanswered = QUESTIONS.filter(([key]) => scores[key] === '').map(([key]) => key as string);
    setMissing(unanswered);
    if (unanswered.length > 0) return;
    const { error, response } = await api.POST('/enrolments/{id}/feedback', {
      params: { path: { id: enrolment.id } },
      body: {
        content: Number(scores.content),
        teacher: Number(scores.teacher),
        organisation: Number(scores.organisation),
        usefulness: Number(scores.usefulness),
        comment,
      },
    });
    if (response.ok) onDone();
    else setProblem(asProblem(error, response.status));
  }

  return (
    <form onSubmit={send} className="mt-2">
      <fieldset>
        <legend className="h6 mb-4">Questionario di gradimento (anonimo), da 1 a 5</legend>
        <ErrorAlert problem={problem} />
        <div className="row">
          {QUESTIONS.map(([key, label]) => (
            <SelectField
              key={key}
              id={`q-${enrolment.id}-${key}`}
              label={label}
              className="col-12 col-sm-6 mb-4"
              value={scores[key]}
              onChange={(v) => {
                setScores((s) => ({ ...s, [key]: v }));
                setMissing((m) => m.filter((k) => k !== key));
              }}
              options={SCORES}
              placeholder="Scegliere"
              error={missing.includes(key) ? 'scegliere un voto da 1 a 5' : undefined}
            />
          ))}
        </div>
        <label htmlFor={`commento-${enrolment.id}`} className="form-label">
          Commento (facoltativo)
        </label>
        <textarea
          id={`commento-${enrolment.id}`}
          className="form-control mb-2"
          rows={2}
          maxLength={2000}
          value={comment}
          onChange={(e) => setComment(e.target.value)}
        />
        <Button color="primary" size="sm" type="submit">
          Invia il questionario
        </Button>
      </fieldset>
    </form>
  );
}

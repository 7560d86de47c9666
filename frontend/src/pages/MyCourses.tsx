import { useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { Badge, Button, Card, CardBody, CardText, CardTitle, Col, Row } from 'design-react-kit';
import { api, asProblem, type Problem } from '../api/client';
import type { components } from '../api/schema';
import { useApi } from '../api/useApi';
import { useAuth } from '../auth';
import { ErrorAlert } from '../components/ErrorAlert';
import { SignInPrompt } from '../components/Page';
import { SelectField } from '../components/SelectField';
import { download } from '../download';
import { ENROLMENT_STATUS, enrolmentStatusText } from '../labels';

type Enrolment = components['schemas']['EnrolmentResponse'];

/** An employee's own courses: status, hours, certificates and the feedback questionnaire. */
export function MyCourses() {
  const { user } = useAuth();
  const { data, problem, setProblem, reload: load } = useApi(() => api.GET('/enrolments'), [], !!user);
  const enrolments = data?.items;

  if (!user) return <SignInPrompt purpose="Per vedere i propri corsi" />;

  async function cancel(e: Enrolment) {
    if (!window.confirm(`Annullare l'iscrizione a «${e.course_title}»?`)) return;
    const { error, response } = await api.PATCH('/enrolments/{id}', {
      params: { path: { id: e.id } },
      body: { status: 'cancelled' },
      headers: { 'Content-Type': 'application/merge-patch+json' },
    });
    if (!response.ok) setProblem(asProblem(error, response.status));
    load();
  }

  return (
    <>
      <h1 className="mb-4">I miei corsi</h1>
      <ErrorAlert problem={problem} />
      {enrolments?.length === 0 && (
        <p>
          Nessuna iscrizione. Nel <Link to="/catalogo">catalogo</Link> trova i corsi aperti.
        </p>
      )}
      <Row>
        {enrolments?.map((e) => (
          <Col lg={6} key={e.id} className="mb-3">
            <Card className="card-bg rounded shadow-sm h-100">
              <CardBody>
                <CardTitle tag="h2" className="h5">
                  {e.course_title}
                </CardTitle>
                <CardText>
                  {e.edition_title} · <Badge color={ENROLMENT_STATUS[e.status].color}>{enrolmentStatusText(e)}</Badge>
                </CardText>
                <CardText>Ore di frequenza: {e.attended_hours_label}</CardText>
                {e.status === 'completed' && (
                  <Button
                    color="primary"
                    size="sm"
                    className="mb-3"
                    onClick={() => download(`/enrolments/${e.id}/certificate`, 'application/pdf', 'attestato.pdf')}
                  >
                    Scarica l'attestato<span className="visually-hidden">: {e.course_title}</span>
                  </Button>
                )}
                {e.status === 'completed' && !e.feedback_given && <Feedback enrolment={e} onDone={load} />}
                {(e.status === 'confirmed' || e.status === 'waitlisted') && (
                  <Button color="secondary" outline size="sm" onClick={() => cancel(e)}>
                    Annulla l'iscrizione<span className="visually-hidden">: {e.course_title}</span>
                  </Button>
                )}
              </CardBody>
            </Card>
          </Col>
        ))}
      </Row>
    </>
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
  const [scores, setScores] = useState({ content: '4', teacher: '4', organisation: '4', usefulness: '4' });
  const [comment, setComment] = useState('');
  const [problem, setProblem] = useState<Problem>();

  async function send(event: FormEvent) {
    event.preventDefault();
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
              className="col-6 mb-4"
              value={scores[key]}
              onChange={(v) => setScores((s) => ({ ...s, [key]: v }))}
              options={SCORES}
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

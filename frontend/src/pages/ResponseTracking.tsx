import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { Alert, Badge, Button, Table } from 'design-react-kit';
import { api, asProblem, type Problem } from '../api/client';
import type { components } from '../api/schema';
import { when } from '../download';

type Campaign = components['schemas']['CampaignResponse'];
type Answer = components['schemas']['ComuneAnswer'];
type Report = components['schemas']['ReminderReport'];

export const ANSWER_STATUS: Record<Answer['status'], { label: string; color: string }> = {
  not_started: { label: 'Non iniziata', color: 'danger' },
  draft: { label: 'In compilazione', color: 'warning' },
  submitted: { label: 'Inviata', color: 'success' },
};

type Filter = 'all' | 'missing' | Answer['status'];

/** Who has answered, who is missing, reminders and reopening: the admin's view. */
export function ResponseTracking({ campaign }: { campaign: Campaign }) {
  const [answers, setAnswers] = useState<Answer[]>([]);
  const [submitted, setSubmitted] = useState(0);
  const [filter, setFilter] = useState<Filter>('missing');
  const [report, setReport] = useState<Report>();
  const [problem, setProblem] = useState<Problem>();
  const [busy, setBusy] = useState(false);

  const load = useCallback(() => {
    api.GET('/campaigns/{id}/responses', { params: { path: { id: campaign.id } } }).then(({ data, error, response }) => {
      if (data) {
        setAnswers(data.items);
        setSubmitted(data.submitted);
      } else setProblem(asProblem(error, response.status));
    });
  }, [campaign.id]);

  useEffect(load, [load]);

  async function remind() {
    setBusy(true);
    const { data, error, response } = await api.POST('/campaigns/{id}/reminders', {
      params: { path: { id: campaign.id } },
      body: {},
    });
    setBusy(false);
    if (data) {
      setReport(data);
      setProblem(undefined);
      load();
    } else setProblem(asProblem(error, response.status));
  }

  async function reopen(code: string) {
    const { error, response } = await api.PUT('/campaigns/{id}/responses/{istat_code}', {
      params: { path: { id: campaign.id, istat_code: code } },
      body: { status: 'draft' },
    });
    if (response.ok) load();
    else setProblem(asProblem(error, response.status));
  }

  const missing = answers.length - submitted;
  const shown = answers.filter((a) =>
    filter === 'all' ? true : filter === 'missing' ? a.status !== 'submitted' : a.status === filter,
  );
  const percent = answers.length ? Math.round((submitted / answers.length) * 100) : 0;
  return (
    <section aria-labelledby="risposte" className="mb-5">
      <h2 id="risposte" className="h3">
        Chi ha risposto
      </h2>
      <p className="mb-1">
        <strong>{submitted}</strong> comuni su {answers.length} hanno inviato la risposta; ne mancano <strong>{missing}</strong>.
      </p>
      <div
        className="progress mb-3"
        role="progressbar"
        aria-label="Risposte inviate"
        aria-valuenow={percent}
        aria-valuemin={0}
        aria-valuemax={100}
      >
        <div className="progress-bar bg-success" style={{ width: `${percent}%` }} />
      </div>
      {problem && <Alert color="danger">{problem.detail}</Alert>}
      {campaign.status === 'open' && missing > 0 && (
        <Button color="primary" onClick={remind} disabled={busy} className="mb-3">
          Invia un promemoria ai {missing} comuni che non hanno risposto
        </Button>
      )}
      {report && (
        <Alert color="info" role="status">
          Promemoria accodati: {report.messages} messaggi a {report.reminded.length} comuni (vedi la{' '}
          <Link to="/messaggi">posta in uscita</Link>).
          {report.unreachable.length > 0 && (
            <> Senza indirizzo, da contattare diversamente: {report.unreachable.map((c) => c.comune_name).join(', ')}.</>
          )}
        </Alert>
      )}
      <div className="select-wrapper mb-3" style={{ maxWidth: '20rem' }}>
        <label htmlFor="filtro-risposte">Mostra</label>
        <select id="filtro-risposte" value={filter} onChange={(e) => setFilter(e.target.value as Filter)}>
          <option value="missing">Chi non ha ancora inviato</option>
          <option value="not_started">Non iniziate</option>
          <option value="draft">In compilazione</option>
          <option value="submitted">Inviate</option>
          <option value="all">Tutti i comuni</option>
        </select>
      </div>
      <Table responsive size="sm">
        <caption>
          {shown.length === 1 ? '1 comune' : `${shown.length} comuni`} · ordinati per nome
        </caption>
        <thead>
          <tr>
            <th scope="col">Comune</th>
            <th scope="col">Stato</th>
            <th scope="col" className="numeric">
              Righe
            </th>
            <th scope="col">Inviata il</th>
            <th scope="col">Ultimo promemoria</th>
            <th scope="col">
              <span className="visually-hidden">Azioni</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {shown.map((a) => (
            <tr key={a.comune_istat_code}>
              <th scope="row">{a.comune_name}</th>
              <td>
                <Badge color={ANSWER_STATUS[a.status].color}>{ANSWER_STATUS[a.status].label}</Badge>
                {a.no_needs && ' nessun fabbisogno'}
              </td>
              <td className="numeric">{a.lines}</td>
              <td>{when(a.submitted_at)}</td>
              <td>{when(a.reminded_at)}</td>
              <td>
                {a.status === 'submitted' && campaign.status === 'open' && (
                  <Button color="secondary" size="xs" outline onClick={() => reopen(a.comune_istat_code)}>
                    Riapri<span className="visually-hidden"> la risposta di {a.comune_name}</span>
                  </Button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </Table>
    </section>
  );
}

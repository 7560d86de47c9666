import { useState } from 'react';
import { Link } from 'react-router-dom';
import { Alert, Badge, Button } from 'design-react-kit';
import { api, asProblem } from '../api/client';
import type { components } from '../api/schema';
import { useApi } from '../api/useApi';
import { DataTable } from '../components/DataTable';
import { ErrorAlert } from '../components/ErrorAlert';
import { SelectField } from '../components/SelectField';
import { count, when } from '../format';
import { RESPONSE_STATUS, type ResponseStatus } from '../labels';

type Campaign = components['schemas']['CampaignResponse'];
type Report = components['schemas']['ReminderReport'];

type Filter = 'all' | 'missing' | ResponseStatus;

const FILTERS: { value: Filter; label: string }[] = [
  { value: 'missing', label: 'Chi non ha ancora inviato' },
  { value: 'not_started', label: 'Non iniziate' },
  { value: 'draft', label: 'In compilazione' },
  { value: 'submitted', label: 'Inviate' },
  { value: 'all', label: 'Tutti i comuni' },
];

/** Who has answered, who is missing, reminders and reopening: the admin's view. */
export function ResponseTracking({ campaign }: { campaign: Campaign }) {
  const [filter, setFilter] = useState<Filter>('missing');
  const [report, setReport] = useState<Report>();
  const [busy, setBusy] = useState(false);
  const responses = useApi(() => api.GET('/campaigns/{id}/responses', { params: { path: { id: campaign.id } } }), [campaign.id]);
  const { problem, setProblem, reload: load } = responses;
  const answers = responses.data?.items ?? [];
  const submitted = responses.data?.submitted ?? 0;

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
      <ErrorAlert problem={problem} />
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
      <div style={{ maxWidth: '20rem' }}>
        <SelectField id="filtro-risposte" label="Mostra" className="mb-3" value={filter} onChange={(v) => setFilter(v as Filter)} options={FILTERS} />
      </div>
      <DataTable
        caption={`${count(shown.length, 'comune', 'comuni')} · ordinati per nome`}
        size="sm"
        items={shown}
        rowKey={(a) => a.comune_istat_code}
        empty="Nessun comune in questo stato."
        columns={[
          { header: 'Comune', rowHeader: true, cell: (a) => a.comune_name },
          {
            header: 'Stato',
            cell: (a) => (
              <>
                <Badge color={RESPONSE_STATUS[a.status].color}>{RESPONSE_STATUS[a.status].label}</Badge>
                {a.no_needs && ' nessun fabbisogno'}
              </>
            ),
          },
          { header: 'Righe', numeric: true, cell: (a) => a.lines },
          { header: 'Inviata il', cell: (a) => when(a.submitted_at) },
          { header: 'Ultimo promemoria', cell: (a) => when(a.reminded_at) },
          {
            header: <span className="visually-hidden">Azioni</span>,
            cell: (a) =>
              a.status === 'submitted' &&
              campaign.status === 'open' && (
                <Button color="secondary" size="xs" outline onClick={() => reopen(a.comune_istat_code)}>
                  Riapri<span className="visually-hidden"> la risposta di {a.comune_name}</span>
                </Button>
              ),
          },
        ]}
      />
    </section>
  );
}
